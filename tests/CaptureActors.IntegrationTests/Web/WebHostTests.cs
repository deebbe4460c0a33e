using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests.Web;

/// <summary>
/// DNS rebinding and what a client may send against a real <c>capturectl serve</c> (embedded agent, no capture: no root
/// needed). A page of another site whose name resolves to 127.0.0.1 sends its own name as <c>Host</c>: every path
/// answers 421 with the rule and no anti-forgery token; <c>--allowed-host</c> adds a name. An <c>Origin</c> of another
/// site with this server's Host is refused 403 and changes nothing on the node. Bodies: missing parts 400 naming the
/// field, 1 MB 413, oversized headers 431.
/// </summary>
public sealed partial class WebHostTests : IDisposable
{
    private const string Node = "local";
    private const string FileName = "local_lo_20260101T000000Z_001.pcap";

    private readonly TempDirectory _directory = new("ca-web-host-");

    public void Dispose() => _directory.Dispose();

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex TokenLike();

    [GeneratedRegex("name=\"csrf-token\" content=\"(?<t>[0-9a-f]{64})\"")]
    private static partial Regex CsrfMeta();

    private string Data => _directory.File("data");

    private ServeProcess Serve(params string[] arguments) => ServeProcess.Start(["--data-dir", Data, "--node-name", Node, .. arguments]);

    /// <summary>One 60-byte packet written by the project's pcap writer, named as the node's own capture file; returns its bytes.</summary>
    private byte[] SeedFile()
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(Data, "captures")).FullName, FileName);
        using (var writer = CaptureActors.Pcap.PcapFileWriter.Create(path, CaptureActors.Pcap.PcapFormat.LinkTypeEthernet, 65535))
        {
            writer.Write(1_767_225_600, 0, Enumerable.Repeat((byte)0x5a, 60).ToArray(), 60);
        }

        File.SetLastWriteTimeUtc(path, new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc));
        return File.ReadAllBytes(path);
    }

    private static HttpClient Client(ServeProcess serve) => new() { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(30) };

    private static HttpRequestMessage Request(HttpMethod method, string path, string? host = null, string? body = null, string? csrf = null, string? origin = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (host is not null) request.Headers.Host = host;
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (csrf is not null) request.Headers.Add("X-Capture-Csrf", csrf);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    private static async Task<string> CsrfAsync(HttpClient http) =>
        CsrfMeta().Match(await http.GetStringAsync(new Uri("/", UriKind.Relative))).Groups["t"].Value;

    [Fact]
    public async Task A_forged_host_gets_421_on_every_path_with_the_rule_and_no_token_and_the_servers_own_names_are_served()
    {
        var pcap = SeedFile();
        using var serve = Serve();
        using var http = Client(serve);
        var port = serve.Address.Port.ToString(CultureInfo.InvariantCulture);
        var csrf = await CsrfAsync(http);
        Assert.Equal(64, csrf.Length);
        Assert.Contains($"answers to Host 127.0.0.1:{port}, [::1]:{port}, localhost:{port} (more with --allowed-host NAME)", serve.StandardOutput, StringComparison.Ordinal);

        var forged = $"evil.example:{port}";
        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Get, "/", null), (HttpMethod.Get, "/app.js", null), (HttpMethod.Get, "/api/overview", null), (HttpMethod.Get, "/api/files", null),
            (HttpMethod.Get, $"/api/files/{Node}/{FileName}", null), (HttpMethod.Get, $"/api/merged?file={Node}/{FileName}", null),
            (HttpMethod.Post, "/api/captures/start", """{"nodes":["local"],"settings":{}}"""), (HttpMethod.Post, "/api/captures/stop", """{"nodes":["local"]}"""),
            (HttpMethod.Post, "/api/files/delete", $$"""{"files":[{"node":"local","name":"{{FileName}}"}]}"""), (HttpMethod.Post, "/login", null),
        })
        {
            foreach (var host in new[] { forged, "evil.example", $"localhost.evil.example:{port}", $"127.0.0.1:{serve.Address.Port + 1}" })
            {
                using var answer = await http.SendAsync(Request(method, path, host, body, csrf, serve.Address.GetLeftPart(UriPartial.Authority)));
                var text = await answer.Content.ReadAsStringAsync();
                Assert.True(answer.StatusCode == HttpStatusCode.MisdirectedRequest, $"{method} {path} with Host {host}: {(int)answer.StatusCode} {text}");
                Assert.Equal("text/plain; charset=utf-8", answer.Content.Headers.ContentType?.ToString());
                Assert.Equal(
                    $"Host '{host}' is not a name this server answers to; allowed: 127.0.0.1:{port}, [::1]:{port}, localhost:{port}; add one with --allowed-host NAME\n", text);
                Assert.DoesNotMatch(TokenLike(), text);
            }
        }

        // Nothing of the node changed, and its own names still get everything.
        Assert.True(File.Exists(Path.Combine(Data, "captures", FileName)));
        foreach (var host in new[] { $"127.0.0.1:{port}", $"localhost:{port}", $"LOCALHOST:{port}", $"[::1]:{port}" })
        {
            using var page = await http.SendAsync(Request(HttpMethod.Get, "/", host));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(csrf, CsrfMeta().Match(await page.Content.ReadAsStringAsync()).Groups["t"].Value);
            using var download = await http.SendAsync(Request(HttpMethod.Get, $"/api/files/{Node}/{FileName}", host));
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(pcap, await download.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task With_allowed_host_that_name_is_served_and_others_still_get_421()
    {
        using var serve = Serve("--allowed-host", "lab.example", "--allowed-host", "Ops.Example");
        using var http = Client(serve);
        var port = serve.Address.Port.ToString(CultureInfo.InvariantCulture);

        using var lab = await http.SendAsync(Request(HttpMethod.Get, "/", $"lab.example:{port}"));
        Assert.Equal(HttpStatusCode.OK, lab.StatusCode);
        Assert.Matches(CsrfMeta(), await lab.Content.ReadAsStringAsync());
        using var ops = await http.SendAsync(Request(HttpMethod.Get, "/api/overview", $"ops.example:{port}"));
        Assert.Equal(HttpStatusCode.OK, ops.StatusCode);
        using var evil = await http.SendAsync(Request(HttpMethod.Get, "/", $"evil.example:{port}"));
        Assert.Equal(HttpStatusCode.MisdirectedRequest, evil.StatusCode);
        Assert.Contains($"allowed: 127.0.0.1:{port}, [::1]:{port}, lab.example:{port}, localhost:{port}, ops.example:{port};", await evil.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The page's own origin under the allowed name may change things.
        var csrf = await CsrfAsync(http);
        using var stop = await http.SendAsync(Request(HttpMethod.Post, "/api/captures/stop", $"lab.example:{port}", """{"nodes":["local"]}""", csrf, $"http://lab.example:{port}"));
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
    }

    [Theory]
    [InlineData("lab.example:8080")]
    [InlineData("*.example")]
    public void A_bad_allowed_host_is_a_usage_error(string name)
    {
        var result = ProcessRunner.Run(Capturectl.Executable, ["serve", "--allowed-host", name, "--data-dir", Data], TimeSpan.FromSeconds(30));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--allowed-host '{name}' is not a host name: expected a DNS name", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_sites_origin_with_this_servers_host_is_refused_403_and_nothing_starts_stops_or_is_deleted()
    {
        SeedFile();
        using var serve = Serve();
        using var http = Client(serve);
        var csrf = await CsrfAsync(http);
        var evil = $"http://evil.example:{serve.Address.Port}";
        foreach (var (path, body) in new[]
        {
            ("/api/captures/start", """{"nodes":["local"],"settings":{"interfaces":["lo"]}}"""),
            ("/api/captures/stop", """{"nodes":["local"]}"""),
            ("/api/files/delete", $$"""{"files":[{"node":"local","name":"{{FileName}}"}]}"""),
            ("/api/setup", """{"nodes":["local"],"settings":{"filter":"udp port 9"}}"""),
        })
        {
            using var byOrigin = await http.SendAsync(Request(HttpMethod.Post, path, body: body, csrf: csrf, origin: evil));
            Assert.Equal(HttpStatusCode.Forbidden, byOrigin.StatusCode);
            Assert.Contains($"403 forbidden: the request comes from another site (Origin '{evil}' is not this server", await byOrigin.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var byReferer = Request(HttpMethod.Post, path, body: body, csrf: csrf);
            byReferer.Headers.Referrer = new Uri(evil + "/attack.html");
            using var refused = await http.SendAsync(byReferer);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var read = await http.SendAsync(Request(HttpMethod.Get, "/api/files", origin: evil));
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);

        // The node: no capture, the file still there, the stored settings untouched.
        var overview = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/overview", UriKind.Relative))).RootElement;
        var capture = overview.GetProperty("nodes")[0].GetProperty("capture");
        Assert.Equal(JsonValueKind.Null, capture.GetProperty("captureId").ValueKind);
        Assert.Equal("idle", capture.GetProperty("state").GetString());
        Assert.True(File.Exists(Path.Combine(Data, "captures", FileName)));
        var files = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/files", UriKind.Relative))).RootElement;
        Assert.Equal(FileName, files.GetProperty("files")[0].GetProperty("name").GetString());
        var setup = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/nodes/{Node}/setup", UriKind.Relative))).RootElement;
        Assert.Equal("", setup.GetProperty("filter").GetString());
    }

    [Fact]
    public async Task A_start_without_settings_is_400_naming_the_field_a_1_MB_body_413_and_oversized_headers_431()
    {
        using var serve = Serve();
        using var http = Client(serve);
        var csrf = await CsrfAsync(http);

        using var noSettings = await http.SendAsync(Request(HttpMethod.Post, "/api/captures/start", body: """{"nodes":["local"]}""", csrf: csrf));
        var refusal = JsonDocument.Parse(await noSettings.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, noSettings.StatusCode);
        Assert.Equal("settings", refusal.GetProperty("field").GetString());
        Assert.StartsWith("the body of POST /api/captures/start: 'settings' is missing: expected the settings form", refusal.GetProperty("error").GetString(), StringComparison.Ordinal);

        using var noBody = await http.SendAsync(Request(HttpMethod.Post, "/api/captures/start", csrf: csrf));
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Contains("POST /api/captures/start needs a JSON body", await noBody.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var huge = await http.SendAsync(Request(HttpMethod.Post, "/api/captures/start", body: "{\"nodes\":[\"" + new string('a', 1024 * 1024) + "\"]}", csrf: csrf));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("is too large (1048590 bytes): at most 64 KiB", await huge.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var bigHeaders = Request(HttpMethod.Get, "/api/overview");
        bigHeaders.Headers.Add("X-Filler", new string('x', 20 * 1024));
        using var tooBig = await http.SendAsync(bigHeaders);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooBig.StatusCode);

        // The server and its node go on.
        var overview = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/overview", UriKind.Relative))).RootElement;
        Assert.True(overview.GetProperty("nodes")[0].GetProperty("reachable").GetBoolean());
    }
}
