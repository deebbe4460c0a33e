using Akka.Actor;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

public sealed class AgentConnectionTests : CapturectlTest
{
    [Fact]
    public async Task An_agent_that_does_not_answer_fails_with_exit_1_naming_node_and_wait()
    {
        Respond(_ => null);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CapturectlApp.RunAsync(
            ["packetcapture", "status", "--node-name", "gw1"],
            Connector,
            AppIo.Plain(stdout, stderr),
            TimeSpan.FromMilliseconds(300),
            CancellationToken.None);

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal("capturectl: node 'gw1' did not answer GetCaptureStatus within 300ms", stderr.ToString().Trim());
    }

    [Fact]
    public async Task Embedded_agent_hosts_the_guardian_and_shuts_down_cleanly()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("capturectl-embedded-").FullName;
        try
        {
            var connector = new EmbeddedAgentConnector(() => new NoCaptureEngine());
            var connection = await connector.ConnectAsync(new AgentTarget(dataDirectory, "test-node"), CancellationToken.None);
            Assert.Equal("/user/agent", connection.Agent.Path.ToStringWithoutAddress());
            Assert.Equal("capturectl", connection.System.Name);

            await connection.DisposeAsync();

            Assert.True(connection.System.WhenTerminated.IsCompleted);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_embedded_agent_refuses_a_world_writable_data_directory_with_exit_1_and_warns_on_a_readable_one()
    {
        using var data = new CaptureActors.TestSupport.TempDirectory("capturectl-embedded-");
        var connector = new NodeAgentConnector(new EmbeddedAgentConnector(() => new NoCaptureEngine(), warnings: new StringWriter()), new RemoteAgentConnector());
        File.SetUnixFileMode(data.Path, (UnixFileMode)Convert.ToInt32("777", 8));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CapturectlApp.RunAsync(["packetcapture", "status", "--data-dir", data.Path], connector, AppIo.Plain(stdout, stderr), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.StartsWith($"capturectl: data directory {data.Path} is writable by every user (mode 0777)", stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(data.Path));

        File.SetUnixFileMode(data.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        var warnings = new StringWriter();
        var readable = new NodeAgentConnector(new EmbeddedAgentConnector(() => new NoCaptureEngine(), warnings), new RemoteAgentConnector());
        exit = await CapturectlApp.RunAsync(["packetcapture", "status", "--data-dir", data.Path], readable, AppIo.Plain(new StringWriter(), new StringWriter()), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(ExitCodes.Done, exit);
        Assert.Equal($"capturectl: warning: data directory {data.Path} has mode 0755: every user may read the captures in it; chmod 0750 {data.Path} keeps them to the agent's user and group", warnings.ToString().Trim());
    }

    [Fact]
    public async Task Unexpected_reply_type_fails_with_exit_1()
    {
        Respond(m => m is GetCaptureStatus ? new FileListing(Statuses.Node, []) : null);

        var result = await Run("packetcapture", "status");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("unexpected FileListing", result.Error);
    }
}
