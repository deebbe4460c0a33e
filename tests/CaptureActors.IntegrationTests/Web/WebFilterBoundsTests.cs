using System.Net;
using System.Text;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests.Web;

/// <summary>
/// Issue 14 through <c>capturectl serve</c> and its embedded agent: a filter with a NUL was reported valid by
/// <c>/api/filter/check</c> and stored by <c>/api/setup</c> (libpcap saw only the text before the NUL). Both now refuse
/// it with the one filter check's words, and nothing is stored. No capture runs: no root needed.
/// </summary>
public sealed class WebFilterBoundsTests : IDisposable
{
    private const string NulProblem = "filter has a control character U+0000 at position 11: not allowed (only tab, newline and carriage return, which libpcap reads as spaces)";

    private readonly TempDirectory _directory = new("ca-web-filter-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_filter_with_a_NUL_is_refused_by_the_check_and_the_setup_and_the_setup_keeps_its_filter()
    {
        var data = _directory.File("data");
        using var serve = ServeProcess.Start(["--data-dir", data, "--node-name", "local"]);
        using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(30) };
        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var csrf = System.Text.RegularExpressions.Regex.Match(html, "name=\"csrf-token\" content=\"(?<t>[0-9a-f]{64})\"").Groups["t"].Value;

        async Task<JsonElement> PostAsync(string path, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Capture-Csrf", csrf);
            request.Headers.Add("Origin", serve.Address.GetLeftPart(UriPartial.Authority));
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        const string filter = "udp port 1\u0000 and not udp port 1";
        var check = await PostAsync("api/filter/check", new { nodes = new[] { "local" }, filter });
        var setup = await PostAsync("api/setup", new { nodes = new[] { "local" }, settings = new { interfaces = new[] { "any" }, filter, maxSize = "200MB", duration = "", ring = "" } });
        // A tab is a blank to libpcap: allowed, and the node's libpcap compiles it.
        var good = await PostAsync("api/filter/check", new { nodes = new[] { "local" }, filter = "udp port 1 and\tnot udp port 2" });

        Assert.False(check.GetProperty("valid").GetBoolean());
        Assert.Equal([NulProblem], check.GetProperty("fieldErrors").GetProperty("filter").EnumerateArray().Select(e => e.GetString()));
        Assert.False(setup.GetProperty("ok").GetBoolean());
        Assert.Equal([NulProblem], setup.GetProperty("fieldErrors").GetProperty("filter").EnumerateArray().Select(e => e.GetString()));
        Assert.True(good.GetProperty("valid").GetBoolean(), good.ToString());
        var stored = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/nodes/local/setup", UriKind.Relative))).RootElement;
        Assert.Equal("", stored.GetProperty("filter").GetString());
        Assert.False(File.Exists(Path.Combine(data, "setup.json")));
    }
}
