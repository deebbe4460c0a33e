using System.Net;
using System.Text;
using CaptureActors.Web.Access;
using Microsoft.AspNetCore.Http;

namespace CaptureActors.Web.Tests;

public sealed class AccessTests
{
    private static WebServerOptions Options(string? token = null, (string, string)? basic = null, string listen = "127.0.0.1:8080", string[]? allowed = null) =>
        new() { Listen = WebServerOptions.ParseListen(listen), Token = token, Basic = basic, AllowedHosts = allowed ?? [] };

    private static DefaultHttpContext Request(string method = "GET", string? authorization = null, string? origin = null, string? site = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("appliance.example:8443");
        context.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.5");
        context.Connection.LocalPort = 8443;
        if (authorization is not null) context.Request.Headers.Authorization = authorization;
        if (origin is not null) context.Request.Headers.Origin = origin;
        if (site is not null) context.Request.Headers["Sec-Fetch-Site"] = site;
        context.Response.Body = new MemoryStream();
        return context;
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("[::1]:0", "::1", 0)]
    [InlineData("localhost:9000", "127.0.0.1", 9000)]
    [InlineData("0.0.0.0:8443", "0.0.0.0", 8443)]
    public void Listen_addresses_parse(string text, string address, int port)
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), WebServerOptions.ParseListen(text));
    }

    [Theory]
    [InlineData("example.org:80")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("[zz]:80")]
    public void Bad_listen_addresses_are_refused_with_what_is_expected(string text)
    {
        var error = Assert.Throws<WebOptionsException>(() => WebServerOptions.ParseListen(text));
        Assert.Contains("expected HOST:PORT with an IP address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Beyond_loopback_a_credential_and_https_are_required()
    {
        Options().Validate();
        var neither = Assert.Throws<WebOptionsException>(() => Options(listen: "0.0.0.0:8443").Validate());
        Assert.Contains("needs a credential (--token-file FILE or --basic-auth-file FILE) and HTTPS", neither.Message, StringComparison.Ordinal);
        var noHttps = Assert.Throws<WebOptionsException>(() => Options(token: new string('t', 32), listen: "0.0.0.0:8443").Validate());
        Assert.DoesNotContain("credential", noHttps.Message, StringComparison.Ordinal);
        Assert.Contains("HTTPS", noHttps.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_token_is_refused()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "short\n");
            Assert.Contains("at least 16 characters", Assert.Throws<WebOptionsException>(() => WebServerOptions.ReadToken(file)).Message, StringComparison.Ordinal);
            File.WriteAllText(file, "\n  0123456789abcdef0123  \n");
            Assert.Equal("0123456789abcdef0123", WebServerOptions.ReadToken(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Without_the_credential_a_request_gets_401_and_never_reaches_the_page()
    {
        var check = new CredentialCheck(Options(token: "0123456789abcdef0123", basic: ("support", "pw")));
        var reached = 0;
        Task Next(HttpContext _)
        {
            reached++;
            return Task.CompletedTask;
        }

        foreach (var authorization in new string?[] { null, "Bearer wrong-token-0123456789", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("support:nope")), "Basic !!" })
        {
            var context = Request(authorization: authorization);
            await check.InvokeAsync(context, Next);
            Assert.Equal(401, context.Response.StatusCode);
        }

        Assert.Equal(0, reached);
        await check.InvokeAsync(Request(authorization: "Bearer 0123456789abcdef0123"), Next);
        var basic = Request(authorization: "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("support:pw")));
        await check.InvokeAsync(basic, Next);
        Assert.True(check.IsAuthorized(basic.Request, out var user));
        Assert.Equal("support", user);
        Assert.Equal(2, reached);
    }

    [Theory]
    [InlineData("GET", null, null, null, true)]
    [InlineData("POST", "token", null, null, true)]
    [InlineData("POST", "token", "http://appliance.example:8443", "same-origin", true)]
    [InlineData("POST", "token", "http://10.0.0.5:8443", null, true)]
    [InlineData("POST", "token", "http://127.0.0.1:8443", null, true)]
    [InlineData("POST", null, "http://appliance.example:8443", "same-origin", false)]
    [InlineData("POST", "wrong", null, null, false)]
    [InlineData("POST", "token", "http://evil.example", null, false)]
    [InlineData("POST", "token", "http://evil.example:8443", null, false)]
    [InlineData("POST", "token", "https://appliance.example:8443", null, false)]
    [InlineData("POST", "token", "http://appliance.example:8444", null, false)]
    [InlineData("POST", "token", "null", null, false)]
    [InlineData("GET", null, "http://evil.example:8443", null, false)]
    [InlineData("GET", null, "http://appliance.example:8443", null, true)]
    [InlineData("POST", "token", null, "cross-site", false)]
    [InlineData("POST", "token", null, "same-site", false)]
    public async Task A_state_changing_request_needs_the_anti_forgery_token_and_the_same_origin(string method, string? token, string? origin, string? site, bool allowed)
    {
        var guard = new CrossSiteGuard(new HostRule(Options(listen: "0.0.0.0:8443", allowed: ["appliance.example"])));
        var context = Request(method, origin: origin, site: site);
        if (token is not null) context.Request.Headers[CrossSiteGuard.HeaderName] = token == "token" ? guard.Token : token;
        var reached = false;

        await guard.InvokeAsync(context, _ =>
        {
            reached = true;
            return Task.CompletedTask;
        });

        Assert.Equal(allowed, reached);
        Assert.Equal(allowed ? 200 : 403, context.Response.StatusCode);
    }
}
