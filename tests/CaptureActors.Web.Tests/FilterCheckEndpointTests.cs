using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaptureActors.Protocol;
using CaptureActors.Web.Access;
using CaptureActors.Web.Api;
using CaptureActors.Web.Nodes;
using Xunit.Abstractions;

namespace CaptureActors.Web.Tests;

/// <summary>POST /api/filter/check through the real web server (Kestrel on 127.0.0.1:0) over two fake agents.</summary>
public sealed class FilterCheckEndpointTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    private WebServer? _server;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public async Task InitializeAsync()
    {
        var nodes = new[] { "a", "b" }.Select(n => WebNode.Embedded(n, Sys.ActorOf(FakeAgent.Props(n, null, TestActor)))).ToList();
        var board = new CaptureBoard(new NodeConnections(Sys, nodes), new NoTransfer(), new CaptureOwner("support", "console-host", 42, "web"));
        _server = await WebServer.StartAsync(new WebServerOptions { Listen = WebServerOptions.ParseListen("127.0.0.1:0") }, board, CancellationToken.None);
        _http.BaseAddress = _server.Address;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task<string> PageTokenAsync() =>
        await PageToken.ReadAsync(_http);

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(object body, string? token, string path = "/api/filter/check")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Add(CrossSiteGuard.HeaderName, token);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Without_the_anti_forgery_header_the_check_is_refused_with_403_and_no_node_is_asked()
    {
        var (status, body) = await PostAsync(new { nodes = new[] { "a" }, filter = "udp" }, token: null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("anti-forgery token", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_bad_filter_gets_each_nodes_refusal_for_the_filter_field_and_a_good_one_none()
    {
        var token = await PageTokenAsync();
        Assert.Equal(64, token.Length);

        var (badStatus, bad) = await PostAsync(new { nodes = new[] { "a", "b" }, filter = "  udp port banana " }, token);
        var asked = Enumerable.Range(0, 2).Select(_ => ExpectMsg<(string Node, object Message)>()).ToList();
        var (goodStatus, good) = await PostAsync(new { nodes = new[] { "b" }, filter = "udp port 53" }, token);

        Assert.Equal(HttpStatusCode.OK, badStatus);
        Assert.Equal(["a", "b"], asked.Select(a => a.Node).Order(StringComparer.Ordinal));
        Assert.All(asked, a => Assert.Equal(new CheckFilter("udp port banana"), a.Message));
        Assert.Equal("udp port banana", bad.GetProperty("filter").GetString());
        Assert.False(bad.GetProperty("valid").GetBoolean());
        Assert.Equal(
            ["a: invalid filter 'udp port banana': unknown port 'banana'", "b: invalid filter 'udp port banana': unknown port 'banana'"],
            bad.GetProperty("fieldErrors").GetProperty("filter").EnumerateArray().Select(e => e.GetString()));
        Assert.All(bad.GetProperty("nodes").EnumerateArray(), n => Assert.False(n.GetProperty("valid").GetBoolean()));

        Assert.Equal(HttpStatusCode.OK, goodStatus);
        Assert.True(good.GetProperty("valid").GetBoolean());
        Assert.Empty(good.GetProperty("fieldErrors").EnumerateObject());
        var node = Assert.Single(good.GetProperty("nodes").EnumerateArray());
        Assert.Equal("b", node.GetProperty("node").GetString());
        Assert.True(node.GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, node.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Over_the_length_limit_the_start_limit_answers_without_asking_a_node_and_unknown_nodes_are_named()
    {
        var token = await PageTokenAsync();
        var filter = new string('x', CaptureSettings.MaxFilterLength + 1);

        var (longStatus, tooLong) = await PostAsync(new { nodes = new[] { "a" }, filter }, token);
        var (unknownStatus, unknown) = await PostAsync(new { nodes = new[] { "zz" }, filter = "udp" }, token);

        Assert.Equal(HttpStatusCode.OK, longStatus);
        Assert.False(tooLong.GetProperty("valid").GetBoolean());
        Assert.Equal($"filter is {filter.Length} characters long: at most {CaptureSettings.MaxFilterLength} are allowed", tooLong.GetProperty("fieldErrors").GetProperty("filter")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Equal("unknown node 'zz': known nodes are a, b", unknown.GetProperty("error").GetString());
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>Issue 14: a NUL cut the filter short in libpcap while the page showed and stored all of it.</summary>
    [Theory]
    [InlineData("/api/filter/check")]
    [InlineData("/api/setup")]
    [InlineData("/api/captures/start")]
    public async Task A_filter_with_a_control_character_is_refused_by_the_check_the_setup_and_a_start_without_asking_a_node(string path)
    {
        var token = await PageTokenAsync();
        const string filter = "udp port 1\u0000 and not udp port 1";
        object body = path == "/api/filter/check"
            ? new { nodes = new[] { "a" }, filter }
            : new { nodes = new[] { "a" }, settings = new { interfaces = new[] { "lo" }, filter, maxSize = "", duration = "", ring = "" } };

        var (status, result) = await PostAsync(body, token, path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            ["filter has a control character U+0000 at position 11: not allowed (only tab, newline and carriage return, which libpcap reads as spaces)"],
            result.GetProperty("fieldErrors").GetProperty("filter").EnumerateArray().Select(e => e.GetString()));
        Assert.False(result.TryGetProperty("valid", out var valid) ? valid.GetBoolean() : result.GetProperty("ok").GetBoolean());
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_refused_long_filter_is_not_echoed_whole()
    {
        var token = await PageTokenAsync();
        var filter = new string('x', 20_000);

        var (status, result) = await PostAsync(new { nodes = new[] { "a" }, filter }, token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new string('x', 60) + "… (20,000 characters)", result.GetProperty("filter").GetString());
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
