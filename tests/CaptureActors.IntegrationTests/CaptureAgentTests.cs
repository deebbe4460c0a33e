using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.IntegrationTests;

/// <summary>The capture-agent executable: options, startup line, remoting, SIGTERM.</summary>
public sealed class CaptureAgentTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _data = new("ca-agent-it-");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_agent_prints_its_startup_line_answers_over_remoting_and_exits_0_on_sigterm()
    {
        using var agent = CaptureAgentProcess.Start(_data.Path, "it1");
        output.WriteLine($"startup {agent.StartupTime.TotalMilliseconds:F0} ms: {agent.StartupLine}");
        Assert.Contains("capture-agent ", agent.StartupLine);
        Assert.Contains("node it1", agent.StartupLine);
        Assert.Contains($"data {_data.Path}", agent.StartupLine);

        using (var client = new RemoteAgentClient())
        {
            var guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
            var identity = await guardian.Ask<AgentIdentity>(IdentifyAgent.Instance, AskTimeout);
            var status = await guardian.Ask<CaptureStatus>(GetCaptureStatus.Instance, AskTimeout);
            Assert.Equal("it1", identity.Node);
            Assert.Equal(CaptureState.Idle, status.State);
        }

        var exit = agent.Terminate(ExitTimeout);
        Assert.True(exit.ExitCode == 0, exit.StandardError);
        Assert.Equal(agent.StartupLine, exit.StandardOutput.Trim()); // stdout: the startup line only; logs on stderr
        Assert.Contains("Agent it1", exit.StandardError);
    }

    [Theory]
    [InlineData("--listen", "nope", "--listen 'nope' is not HOST:PORT")]
    [InlineData("--listen", "127.0.0.1:70000", "the port must be a number from 0 to 65535")]
    [InlineData("--name", "bad name", "is not a valid node name")]
    [InlineData("--config", "/nonexistent/agent.hocon", "no such file")]
    [InlineData("--frobnicate", "1", "Unrecognized command or argument '--frobnicate'")]
    public void Bad_options_exit_2_with_a_message(string option, string value, string message)
    {
        var result = ProcessRunner.Run(CaptureAgentProcess.Executable, [option, value, "--data-dir", _data.Path], TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public void A_bad_value_in_the_config_file_fails_the_start_with_one_line_and_exit_1()
    {
        var config = Path.Combine(_data.Path, "bad.hocon");
        File.WriteAllText(config, "akka.loglevel = LOUD\n");

        var result = ProcessRunner.Run(
            CaptureAgentProcess.Executable, ["--config", config, "--listen", "127.0.0.1:0", "--data-dir", _data.Path], TimeSpan.FromSeconds(30));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("capture-agent: cannot start on 127.0.0.1:0: Unknown LogLevel: \"LOUD\"", result.StandardError);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public void A_port_in_use_fails_the_start_with_exit_1()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;

        var result = ProcessRunner.Run(
            CaptureAgentProcess.Executable, ["--listen", $"127.0.0.1:{port}", "--data-dir", _data.Path], TimeSpan.FromSeconds(30));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"capture-agent: cannot start on 127.0.0.1:{port}", result.StandardError);
    }
}
