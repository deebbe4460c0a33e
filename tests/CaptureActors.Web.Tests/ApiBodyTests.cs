using System.Net;
using System.Text;
using System.Text.Json;
using CaptureActors.Protocol;
using CaptureActors.Web.Access;
using CaptureActors.Web.Api;
using CaptureActors.Web.Nodes;
using Xunit.Abstractions;

namespace CaptureActors.Web.Tests;

/// <summary>
/// Every POST of the API through the real web server (Kestrel on 127.0.0.1:0) over a fake agent, with what a client may
/// send wrong: no body, <c>{}</c>, a required part null or of the wrong type, not JSON, another content type, a body
/// over the limit. Each is a 4xx naming the field, never a 500, and no node is asked.
/// </summary>
public sealed class ApiBodyTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    private readonly ITestOutputHelper _output = output;

    private WebServer? _server;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private string _token = "";

    public async Task InitializeAsync()
    {
        var board = new CaptureBoard(
            new NodeConnections(Sys, [WebNode.Embedded("a", Sys.ActorOf(FakeAgent.Props("a", null, TestActor)))]), new NoTransfer(), new CaptureOwner("support", "console-host", 42, "web"));
        _server = await WebServer.StartAsync(new WebServerOptions { Listen = WebServerOptions.ParseListen("127.0.0.1:0") }, board, CancellationToken.None);
        _http.BaseAddress = _server.Address;
        _token = await PageToken.ReadAsync(_http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public static TheoryData<string, string?, string, int, string> Cases()
    {
        var data = new TheoryData<string, string?, string, int, string>();
        foreach (var path in new[] { "captures/start", "setup" })
        {
            data.Add(path, null, "application/json", 400, "body");
            data.Add(path, "{}", "application/json", 400, "nodes");
            data.Add(path, """{"nodes":["a"]}""", "application/json", 400, "settings");
            data.Add(path, """{"nodes":["a"],"settings":null}""", "application/json", 400, "settings");
            data.Add(path, """{"nodes":"a","settings":{}}""", "application/json", 400, "nodes");
            data.Add(path, """{"nodes":["a",null],"settings":{}}""", "application/json", 400, "nodes[1]");
            data.Add(path, """{"nodes":["a"],"settings":{"ring":5}}""", "application/json", 400, "settings.ring");
            data.Add(path, """{"nodes":["a"],"settings":{"interfaces":[null]}}""", "application/json", 400, "settings.interfaces[0]");
            data.Add(path, """{"nodes":["a"],"interfaces":{"a":null},"settings":{}}""", "application/json", 400, "interfaces.a");
            data.Add(path, """{"nodes":["a"],"settings":[]}""", "application/json", 400, "settings");
            data.Add(path, "[]", "application/json", 400, "body");
            data.Add(path, "null", "application/json", 400, "body");
        }

        foreach (var path in new[] { "captures/stop", "filter/check" })
        {
            data.Add(path, null, "application/json", 400, "body");
            data.Add(path, "{}", "application/json", 400, "nodes");
            data.Add(path, """{"nodes":null}""", "application/json", 400, "nodes");
            data.Add(path, """{"nodes":[1]}""", "application/json", 400, "nodes[0]");
            data.Add(path, """{"nodes":[null]}""", "application/json", 400, "nodes[0]");
        }

        data.Add("filter/check", """{"nodes":["a"],"filter":{"x":1}}""", "application/json", 400, "filter");
        data.Add("files/delete", null, "application/json", 400, "body");
        data.Add("files/delete", "{}", "application/json", 400, "files");
        data.Add("files/delete", """{"files":[null]}""", "application/json", 400, "files[0]");
        data.Add("files/delete", """{"files":[{"node":"a"}]}""", "application/json", 400, "files[0].name");
        data.Add("files/delete", """{"files":[{"name":"a_lo_x.pcap"}]}""", "application/json", 400, "files[0].node");
        data.Add("files/delete", """{"files":"a_lo_x.pcap"}""", "application/json", 400, "files");
        foreach (var path in new[] { "captures/start", "setup", "captures/stop", "filter/check", "files/delete" })
        {
            data.Add(path, "{\"nodes\":", "application/json", 400, "nodes");
            data.Add(path, "not json", "application/json", 400, "body");
            data.Add(path, "{}", "text/plain", 415, "body");
            data.Add(path, "{\"nodes\":[\"" + new string('a', 1024 * 1024) + "\"]}", "application/json", 413, "body");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_wrong_body_is_refused_naming_its_field_and_asks_no_node(string path, string? body, string contentType, int status, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/" + path);
        request.Headers.Add(CrossSiteGuard.HeaderName, _token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        _output.WriteLine($"{(int)response.StatusCode} {(text.Length > 600 ? text[..600] : text)}");

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonDocument.Parse(text).RootElement;
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Equal("invalid-argument", error.GetProperty("code").GetString());
        Assert.Contains($"/api/{path}", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(text.Length < 2000, "the refusal quotes no large part of the body");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>A stream the client cannot measure: sent chunked, without Content-Length.</summary>
    private sealed class UnmeasuredStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_with_413_when_its_bytes_pass_the_limit()
    {
        var body = Encoding.UTF8.GetBytes("{\"nodes\":[\"" + new string('a', 1024 * 1024) + "\"]}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/captures/stop") { Content = new StreamContent(new UnmeasuredStream(body)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(CrossSiteGuard.HeaderName, _token);

        using var response = await _http.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("is too large (more): at most 64 KiB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_line_or_headers_over_their_bounds_are_refused_and_the_server_goes_on()
    {
        using var longLine = await _http.GetAsync(new Uri("/api/files?x=" + new string('a', WebServer.MaxRequestLineBytes), UriKind.Relative));
        using var manyHeaders = new HttpRequestMessage(HttpMethod.Get, "/api/files");
        for (var i = 0; i < WebServer.MaxHeaderCount + 1; i++)
        {
            manyHeaders.Headers.Add($"X-Filler-{i}", "x");
        }

        using var tooMany = await _http.SendAsync(manyHeaders);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, longLine.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooMany.StatusCode);
        using var files = await _http.GetAsync(new Uri("/api/files", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, files.StatusCode);
    }

    [Fact]
    public async Task Settings_left_empty_take_the_nodes_defaults_and_start()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/captures/start")
        {
            Content = new StringContent("""{"nodes":["a"],"settings":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(CrossSiteGuard.HeaderName, _token);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean());
        var (node, message) = ExpectMsg<(string Node, object Message)>();
        Assert.Equal("a", node);
        Assert.IsType<StartCapture>(message);
    }
}
