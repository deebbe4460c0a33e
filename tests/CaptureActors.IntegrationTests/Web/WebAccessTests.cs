using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests.Web;

/// <summary>
/// Who may use the page: with a credential configured, a request without it gets 401; a state-changing request without
/// the page's anti-forgery token, or from another origin, gets 403; a non-loopback address without credential and HTTPS
/// is refused at start. Runs <c>capturectl serve</c> with its embedded agent (no capture: no root needed).
/// </summary>
public sealed class WebAccessTests : IDisposable
{
    private readonly TempDirectory _directory = new("ca-web-access-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task With_a_token_configured_a_request_without_it_is_refused_with_401_and_one_with_it_is_served()
    {
        var tokenFile = _directory.File("token");
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(tokenFile, token + "\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var serve = ServeProcess.Start(["--token-file", tokenFile, "--data-dir", _directory.File("data"), "--node-name", "local"]);
        using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(30) };

        using var anonymous = await http.GetAsync(new Uri("api/overview", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "api/overview");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Accept.ParseAdd("text/html");
        using var pageAnswer = await http.SendAsync(page);
        Assert.Equal(HttpStatusCode.Unauthorized, pageAnswer.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/login\">", await pageAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var authorized = new HttpRequestMessage(HttpMethod.Get, "api/overview");
        authorized.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var overview = await http.SendAsync(authorized);
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("\"name\":\"local\"", await overview.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The sign-in form sets a session cookie that then opens the page.
        using var cookies = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browserLike = new HttpClient(cookies) { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var login = await browserLike.PostAsync(new Uri("login", UriKind.Relative), new FormUrlEncodedContent([new("token", token)]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var signedIn = await browserLike.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("name=\"csrf-token\"", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_changing_request_needs_the_pages_anti_forgery_token_and_the_same_origin()
    {
        using var serve = ServeProcess.Start(["--data-dir", _directory.File("data"), "--node-name", "local"]);
        using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(30) };
        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var csrf = System.Text.RegularExpressions.Regex.Match(html, "name=\"csrf-token\" content=\"(?<t>[0-9a-f]{64})\"").Groups["t"].Value;
        Assert.Equal(64, csrf.Length);

        HttpRequestMessage Stop(string? token, string? origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/captures/stop") { Content = new StringContent("{\"nodes\":[\"local\"]}", Encoding.UTF8, "application/json") };
            if (token is not null) request.Headers.Add("X-Capture-Csrf", token);
            if (origin is not null) request.Headers.Add("Origin", origin);
            return request;
        }

        using var noToken = await http.SendAsync(Stop(null, null));
        Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
        Assert.Contains("anti-forgery token", await noToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var otherSite = await http.SendAsync(Stop(csrf, "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, otherSite.StatusCode);
        using var fromPage = await http.SendAsync(Stop(csrf, serve.Address.GetLeftPart(UriPartial.Authority)));
        Assert.Equal(HttpStatusCode.OK, fromPage.StatusCode);
        Assert.Contains("no capture was running", await fromPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Over_https_with_basic_auth_the_page_refuses_a_request_without_the_password_and_serves_one_with_it()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(_directory.File("cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(_directory.File("key.pem"), key.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(_directory.File("basic"), "support:s3cret-pass\n");
        File.SetUnixFileMode(_directory.File("key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(_directory.File("basic"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var serve = ServeProcess.Start([
            "--certificate", _directory.File("cert.pem"), "--certificate-key", _directory.File("key.pem"),
            "--basic-auth-file", _directory.File("basic"), "--data-dir", _directory.File("data"), "--node-name", "local"]);
        Assert.Equal("https", serve.Address.Scheme);

        using var handler = new HttpClientHandler
        {
            // Trust exactly the certificate made above.
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var anonymous = await http.GetAsync(new Uri("api/files", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Basic realm=", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var badPassword = new HttpRequestMessage(HttpMethod.Get, "api/files");
        badPassword.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("support:wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(badPassword)).StatusCode);

        using var good = new HttpRequestMessage(HttpMethod.Get, "api/files");
        good.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("support:s3cret-pass")));
        using var answer = await http.SendAsync(good);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("\"files\":[]", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--listen", "0.0.0.0:0" }, "needs a credential (--token-file FILE or --basic-auth-file FILE) and HTTPS")]
    [InlineData(new[] { "--listen", "nowhere:80" }, "is not an address to listen on")]
    public void Serving_beyond_loopback_without_credential_and_https_or_on_a_bad_address_is_a_usage_error(string[] arguments, string message)
    {
        var result = ProcessRunner.Run(Capturectl.Executable, ["serve", .. arguments, "--data-dir", _directory.File("data")], TimeSpan.FromSeconds(30));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }
}
