using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>Probe commands through the real binary: on the embedded agent, and on remote agents with --all.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class ProbeCommandTests : IDisposable
{
    private readonly TempDirectory _data = new("ca-probe-");
    private readonly AgentCluster _cluster = new("ca-probes-");

    public void Dispose()
    {
        _cluster.Dispose();
        _data.Dispose();
    }

    [Fact]
    public void Tcpservices_lists_a_listener_of_this_process_with_its_pid_and_user()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var ctl = new Capturectl(_data.Path);

            var text = ctl.Run("tcpservices");
            var json = ctl.Json("tcpservices");

            Assert.True(text.ExitCode == 0, text.StandardError);
            Assert.Contains($"127.0.0.1:{port}", text.StandardOutput);
            var service = json.GetProperty("services").EnumerateArray()
                .Single(s => s.GetProperty("localPort").GetInt32() == port && s.GetProperty("protocol").GetString() == "tcp");
            Assert.Equal(Environment.ProcessId, service.GetProperty("pid").GetInt32());
            Assert.Equal(Environment.UserName, service.GetProperty("user").GetString());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Tcpservices_on_all_nodes_shows_each_agents_own_listener()
    {
        _cluster.Start(2);

        var result = _cluster.Ctl("tcpservices", "--all", "--json");
        var text = _cluster.Ctl("tcpservices", "--all");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.True(text.ExitCode == 0, text.StandardError);
        var nodes = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        for (var i = 0; i < 2; i++)
        {
            var agent = _cluster.Agents[i];
            var node = nodes.Single(n => n.GetProperty("node").GetString() == AgentCluster.Node(i));
            var services = node.GetProperty("result").GetProperty("services").EnumerateArray();
            Assert.Contains(services, s => s.GetProperty("localPort").GetInt32() == agent.Port && s.GetProperty("pid").GetInt32() == agent.ProcessId);
            Assert.Contains(AgentCluster.Node(i), text.StandardOutput);
        }
    }
}
