using System.Net;
using CaptureActors.Web.Access;
using Microsoft.AspNetCore.Http;

namespace CaptureActors.Web.Tests;

/// <summary>The names the page answers to (DNS rebinding), without a server: Host and Origin against listen address and port.</summary>
public sealed class HostRuleTests
{
    private static HostRule Rule(string listen = "127.0.0.1:8080", params string[] allowed) =>
        new(new WebServerOptions { Listen = WebServerOptions.ParseListen(listen), AllowedHosts = [.. allowed.Select(WebServerOptions.ParseAllowedHost)] });

    private static ConnectionInfo Connection(string local = "127.0.0.1", int port = 8080)
    {
        var context = new DefaultHttpContext();
        context.Connection.LocalIpAddress = IPAddress.Parse(local);
        context.Connection.LocalPort = port;
        return context.Connection;
    }

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("[::1]:8080")]
    [InlineData("localhost:8080")]
    [InlineData("LocalHost:8080")]
    [InlineData("lab.example:8080")]
    public void The_servers_own_names_with_its_port_pass(string host)
    {
        Assert.Null(Rule("127.0.0.1:8080", "lab.example").CheckHost(host, Connection()));
    }

    [Theory]
    [InlineData("evil.example:8080", 421)]
    [InlineData("evil.example", 421)]
    [InlineData("127.0.0.1", 421)]
    [InlineData("127.0.0.1:8081", 421)]
    [InlineData("localhost.:8080", 421)]
    [InlineData("127.1:8080", 421)]
    [InlineData("127.0.0.2:8080", 421)]
    [InlineData("lab.example.evil.example:8080", 421)]
    [InlineData("", 400)]
    [InlineData("127.0.0.1:", 400)]
    [InlineData("127.0.0.1:80x", 400)]
    [InlineData("[::1", 400)]
    [InlineData("::1:8080", 400)]
    [InlineData("[lab.example]:8080", 400)]
    public void Any_other_host_is_refused_naming_the_allowed_ones_and_the_option(string host, int status)
    {
        var refusal = Rule("127.0.0.1:8080", "lab.example").CheckHost(host, Connection());

        Assert.NotNull(refusal);
        Assert.Equal(status, refusal.Value.Status);
        Assert.Contains("allowed: 127.0.0.1:8080, [::1]:8080, lab.example:8080, localhost:8080", refusal.Value.Message, StringComparison.Ordinal);
        if (status == 421)
        {
            Assert.Equal($"Host '{host}' is not a name this server answers to; allowed: 127.0.0.1:8080, [::1]:8080, lab.example:8080, localhost:8080; add one with --allowed-host NAME", refusal.Value.Message);
        }
    }

    [Fact]
    public void On_the_schemes_default_port_the_port_may_be_left_out()
    {
        var rule = Rule("127.0.0.1:80");
        Assert.Null(rule.CheckHost("localhost", Connection(port: 80)));
        Assert.Null(rule.CheckHost("localhost:80", Connection(port: 80)));
        Assert.Contains("(:80 may be left out)", rule.Describe(80), StringComparison.Ordinal);
        Assert.NotNull(Rule().CheckHost("localhost", Connection()));
    }

    [Fact]
    public void A_server_on_another_loopback_address_or_every_address_answers_to_the_address_the_connection_came_to()
    {
        Assert.Null(Rule("127.0.0.2:8080").CheckHost("127.0.0.2:8080", Connection("127.0.0.2")));
        var wildcard = Rule("0.0.0.0:8443");
        Assert.Null(wildcard.CheckHost("10.0.0.5:8443", Connection("10.0.0.5", 8443)));
        Assert.Null(wildcard.CheckHost("10.0.0.5:8443", Connection("::ffff:10.0.0.5", 8443)));
        Assert.Equal(421, wildcard.CheckHost("10.0.0.6:8443", Connection("10.0.0.5", 8443))?.Status);
        Assert.Equal(421, wildcard.CheckHost("0.0.0.0:8443", Connection("10.0.0.5", 8443))?.Status);
        Assert.EndsWith("any address of this machine:8443", wildcard.Describe(8443), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://lab.example:8080/some/page?x=1", true)]
    [InlineData("http://evil.example:8080", false)]
    [InlineData("https://127.0.0.1:8080", false)]
    [InlineData("http://127.0.0.1", false)]
    [InlineData("http://127.0.0.1:8081", false)]
    [InlineData("http://user@127.0.0.1:8080", false)]
    [InlineData("null", false)]
    [InlineData("", false)]
    public void An_origin_is_this_server_only_with_its_scheme_an_allowed_name_and_its_port(string origin, bool own)
    {
        Assert.Equal(own, Rule("127.0.0.1:8080", "lab.example").IsOwnOrigin(origin, Connection()));
    }

    [Theory]
    [InlineData("Lab.Example", "lab.example")]
    [InlineData("[::1]", "::1")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    public void Allowed_hosts_parse_to_their_canonical_form(string text, string parsed)
    {
        Assert.Equal(parsed, WebServerOptions.ParseAllowedHost(text));
    }

    [Theory]
    [InlineData("lab.example:8080")]
    [InlineData("*.example")]
    [InlineData("")]
    [InlineData("-lab.example")]
    [InlineData("127.1")]
    [InlineData("http://lab.example")]
    public void A_bad_allowed_host_is_refused_saying_what_is_expected(string text)
    {
        var error = Assert.Throws<WebOptionsException>(() => WebServerOptions.ParseAllowedHost(text));
        Assert.Contains("expected a DNS name", error.Message, StringComparison.Ordinal);
        Assert.Contains("without port", error.Message, StringComparison.Ordinal);
    }
}
