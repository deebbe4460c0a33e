using System.Net;
using System.Text;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests.Web;

/// <summary>
/// <c>capturectl serve</c> against an agent that checks certificates (the lab's default): the page's requests carry
/// serve's proven identity, so the operator's page lists, checks filters and starts captures, and a page served with
/// the viewer's certificate reads but is refused a download and a start, naming the role.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class WebOverTlsTests : IDisposable
{
    private readonly DevCertificates _certificates = new("viewer");
    private readonly TempDirectory _data = new("ca-web-tls-");
    private readonly CaptureAgentProcess _agent;

    public WebOverTlsTests() => _agent = CaptureAgentProcess.Start(_data.Path, "tls1", _certificates.Arguments("agent"));

    public void Dispose()
    {
        _agent.Dispose();
        _data.Dispose();
        _certificates.Dispose();
    }

    [PrivilegedFact]
    public async Task The_operators_page_reads_checks_and_starts_on_a_tls_agent_and_the_viewers_page_is_refused_download_and_start_by_role()
    {
        Privilege.Require();
        using (var page = await PageAsync("console"))
        {
            using var overview = JsonDocument.Parse(await page.Http.GetStringAsync(new Uri("api/overview", UriKind.Relative)));
            var node = Assert.Single(overview.RootElement.GetProperty("nodes").EnumerateArray());
            Assert.True(node.GetProperty("reachable").GetBoolean(), node.ToString());

            using var check = await page.PostAsync("api/filter/check", """{"nodes":["tls1"],"filter":"udp port banana"}""");
            Assert.Contains("unknown port 'banana'", check.RootElement.GetProperty("nodes")[0].GetProperty("error").GetString(), StringComparison.Ordinal);

            using var start = await page.PostAsync("api/captures/start", """{"nodes":["tls1"],"interfaces":{"tls1":["lo"]},"settings":{"interfaces":null,"filter":"udp port 9","maxSize":"","duration":"","ring":""}}""");
            Assert.True(start.RootElement.GetProperty("ok").GetBoolean(), start.RootElement.ToString());
            using var stop = await page.PostAsync("api/captures/stop", """{"nodes":["tls1"]}""");
            Assert.True(stop.RootElement.GetProperty("ok").GetBoolean(), stop.RootElement.ToString());
        }

        using (var page = await PageAsync("viewer"))
        {
            using var files = JsonDocument.Parse(await page.Http.GetStringAsync(new Uri("api/files", UriKind.Relative)));
            var name = System.Text.RegularExpressions.Regex.Match(files.RootElement.ToString(), "tls1_lo_[0-9TZ]+_001\\.pcap").Value;
            Assert.NotEmpty(name);

            // Reading capture data is the operator's: the node's refusal, naming the node once.
            using var download = await page.Http.GetAsync(new Uri($"api/files/tls1/{name}", UriKind.Relative));
            var refusal = await download.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
            Assert.Contains("tls1: refused: packetcapture download needs role operator; CN=viewer", refusal, StringComparison.Ordinal);
            Assert.DoesNotContain("tls1: tls1:", refusal, StringComparison.Ordinal);

            using var start = await page.PostAsync("api/captures/start", """{"nodes":["tls1"],"interfaces":{"tls1":["lo"]},"settings":{"interfaces":null,"filter":"","maxSize":"","duration":"","ring":""}}""");
            Assert.False(start.RootElement.GetProperty("ok").GetBoolean());
            Assert.Contains("packetcapture start needs role operator; CN=viewer", start.RootElement.GetProperty("nodes")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    private async Task<Page> PageAsync(string client)
    {
        var serve = ServeProcess.Start(["--node", $"tls1=127.0.0.1:{_agent.Port}", .. _certificates.Arguments(client)]);
        var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(30) };
        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"csrf-token\" content=\"(?<t>[0-9a-f]{64})\"").Groups["t"].Value;
        return new Page(serve, http, token);
    }

    private sealed record Page(ServeProcess Serve, HttpClient Http, string Token) : IDisposable
    {
        public async Task<JsonDocument> PostAsync(string path, string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Capture-Csrf", Token);
            request.Headers.Add("Origin", Serve.Address.GetLeftPart(UriPartial.Authority));
            using var response = await Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body);
        }

        public void Dispose()
        {
            Http.Dispose();
            Serve.Dispose();
        }
    }
}
