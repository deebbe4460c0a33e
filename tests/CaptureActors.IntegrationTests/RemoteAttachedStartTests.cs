using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// An attached start against a remote agent lists the files it left as the node's own path (<c>NODE:/its/data-dir/captures/NAME</c>),
/// not under this console's data directory, where they are not.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class RemoteAttachedStartTests : IDisposable
{
    private readonly AgentCluster _cluster = new("ca-remote-files-");

    public void Dispose() => _cluster.Dispose();

    [PrivilegedFact]
    public void The_files_of_an_attached_remote_start_are_named_by_node_and_the_agents_own_path()
    {
        Privilege.Require();
        _cluster.Start(1);
        var node = AgentCluster.Node(0);
        var agentCaptures = Path.Combine(_cluster.RootPath, node, "captures");

        var text = _cluster.Ctl("packetcapture", "start", "-i", "lo", "-f", "udp port 40409", "--duration", "2s");
        Assert.True(text.ExitCode == 0, text.StandardOutput + text.StandardError);
        var listed = text.Lines.SkipWhile(l => l != "files:").Skip(1).ToList();
        var file = Assert.Single(listed);
        Assert.StartsWith($"{node}:{agentCaptures}/{node}_lo_", file);
        Assert.True(File.Exists(file[(node.Length + 1)..]), $"{file} does not name the agent's file");
        Assert.DoesNotContain("/var/lib/capture-actors", text.StandardOutput);

        var json = _cluster.Ctl("packetcapture", "start", "-i", "lo", "-f", "udp port 40409", "--duration", "2s", "--json");
        Assert.True(json.ExitCode == 0, json.StandardOutput + json.StandardError);
        var files = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.All(files, f => Assert.StartsWith($"{node}:{agentCaptures}/", f));
        Assert.NotEmpty(files);
    }
}
