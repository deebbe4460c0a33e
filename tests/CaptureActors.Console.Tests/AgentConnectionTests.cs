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
    public async Task Unexpected_reply_type_fails_with_exit_1()
    {
        Respond(m => m is GetCaptureStatus ? new FileListing(Statuses.Node, []) : null);

        var result = await Run("packetcapture", "status");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("unexpected FileListing", result.Error);
    }
}
