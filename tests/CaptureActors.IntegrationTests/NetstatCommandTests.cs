using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary><c>capturectl netstat</c> through the real binary: on the embedded agent, and on remote agents with --all.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class NetstatCommandTests : IDisposable
{
    private readonly TempDirectory _data = new("ca-netstat-");
    private readonly AgentCluster _cluster = new("ca-netstat-");

    public void Dispose()
    {
        _cluster.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Netstat_listen_json_finds_this_tests_listener_with_its_backlog_and_queue()
    {
        const int backlog = 37;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var first = new TcpClient(AddressFamily.InterNetwork);
        using var second = new TcpClient(AddressFamily.InterNetwork);
        await first.ConnectAsync(IPAddress.Loopback, port);
        await second.ConnectAsync(IPAddress.Loopback, port);
        var ctl = new Capturectl(_data.Path);

        var json = ctl.Json("netstat", "listen");
        var text = ctl.Run("netstat", "listen");

        var entry = json.GetProperty("listeners").EnumerateArray().Single(l => l.GetProperty("localPort").GetInt32() == port);
        Assert.Equal("127.0.0.1", entry.GetProperty("localAddress").GetString());
        Assert.Equal(backlog, entry.GetProperty("maxQueueLength").GetInt64());
        Assert.Equal(2, entry.GetProperty("queueLength").GetInt64());
        Assert.True(text.ExitCode == 0, text.StandardError);
        Assert.Matches($@"127\.0\.0\.1:{port}\s*│\s*2\s*│\s*0\s*│\s*{backlog}\s*│", text.StandardOutput);
    }

    [Fact]
    public async Task Netstat_sockets_shows_an_established_loopback_connection()
    {
        using var connection = await LoopbackConnection.OpenAsync();
        var (port, clientPort) = (connection.Port, connection.ClientPort);

        var text = new Capturectl(_data.Path).Run("netstat", "sockets");

        Assert.True(text.ExitCode == 0, text.StandardError);
        Assert.Matches($@"tcp\s*│\s*0\s*│\s*0\s*│\s*127\.0\.0\.1:{port}\s*│\s*127\.0\.0\.1:{clientPort}\s*│\s*ESTABLISHED", text.StandardOutput);
    }

    [Fact]
    public void Netstat_traffic_prints_each_sample_then_the_totals_and_exits_0()
    {
        var started = DateTime.UtcNow;

        var result = new Capturectl(_data.Path).Run("netstat", "traffic", "--interval", "200ms", "--count", "3");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal(3, result.Lines.Count(l => l.StartsWith("sample ", StringComparison.Ordinal)));
        Assert.Contains("sample 3 at", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("3 sample(s) of 200ms", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ended by count", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("│ lo ", result.StandardOutput, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(600), Capturectl.CommandTimeout);
    }

    [Fact]
    public void Ctrl_c_ends_netstat_traffic_with_the_totals_of_what_it_measured()
    {
        using var running = new Capturectl(_data.Path).Start("netstat", "traffic", "--interval", "200ms");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!running.StandardOutput.Contains("sample 2 at", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        running.Signal(2);
        var result = running.WaitForExit(TimeSpan.FromSeconds(15));

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("ended by cancelled", result.StandardOutput, StringComparison.Ordinal);
        var samples = result.Lines.Count(l => l.StartsWith("sample ", StringComparison.Ordinal));
        Assert.True(samples >= 2, result.StandardOutput);
        Assert.Contains($"{samples} sample(s) of 200ms", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--interval", "50ms", "allowed 100ms to 1h")]
    [InlineData("--interval", "2h", "allowed 100ms to 1h")]
    [InlineData("--interval", "soon", "allowed 100ms to 1h")]
    [InlineData("--count", "0", "allowed 1 to 100000")]
    [InlineData("--count", "100001", "allowed 1 to 100000")]
    public void Netstat_traffic_out_of_range_is_a_usage_error_naming_the_range(string option, string value, string range)
    {
        var result = new Capturectl(_data.Path).Run("netstat", "traffic", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.StandardError, StringComparison.Ordinal);
        Assert.Contains(range, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Netstat_listen_on_all_nodes_shows_each_agents_own_listener()
    {
        _cluster.Start(2);

        var result = _cluster.Ctl("netstat", "listen", "--all", "--json");
        var text = _cluster.Ctl("netstat", "routes", "--all");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.True(text.ExitCode == 0, text.StandardError);
        var nodes = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        for (var i = 0; i < 2; i++)
        {
            var agent = _cluster.Agents[i];
            var node = nodes.Single(n => n.GetProperty("node").GetString() == AgentCluster.Node(i));
            var listener = node.GetProperty("result").GetProperty("listeners").EnumerateArray()
                .Single(l => l.GetProperty("localPort").GetInt32() == agent.Port);
            Assert.True(listener.GetProperty("maxQueueLength").GetInt64() > 0);
            Assert.Contains(AgentCluster.Node(i), text.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("IPv4 routing table", text.StandardOutput, StringComparison.Ordinal);
    }
}
