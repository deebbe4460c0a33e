using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// A real capture-agent given a --config it must not run with: a file that is not HOCON (Akka's parser would load it
/// silently), or one that turns off untrusted mode or rebinds a serializer. Each is exit 2 with exactly one line on
/// stderr naming the file and the position or the setting, and nothing is started (no data directory is created).
/// </summary>
public sealed class AgentConfigRefusalTests : IDisposable
{
    private readonly TempDirectory _root = new("ca-config-");

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("akka {\n  loglevel = DEBUG\n", "line 1, column 6: '{' is never closed (the file ends at line 2)")]
    [InlineData("capture-agent.disk {\n  floor = \"5%\n}\n", "line 2, column 11: a quoted string is not closed on its line (a '\"' is missing)")]
    [InlineData("akka.remote.untrusted-mode = off\n", "akka.remote.untrusted-mode = off is refused: it lets any peer that reaches the port")]
    [InlineData("akka.remote.trusted-selection-paths = [\"/user/agent\", \"/system\"]\n", "akka.remote.trusted-selection-paths = [/user/agent, /system] is refused")]
    [InlineData("akka.actor.serializers.json = \"Akka.Serialization.NewtonSoftJsonSerializer, Akka\"\n", "akka.actor.serializers.json is refused")]
    public void The_agent_refuses_the_file_in_one_line_naming_it_and_where_or_what_with_exit_2(string text, string expected)
    {
        var config = _root.File("agent.hocon");
        File.WriteAllText(config, text);
        var data = _root.File("data");
        var result = ProcessRunner.Run(CaptureAgentProcess.Executable,
            ["--name", "cfg", "--listen", "127.0.0.1:0", "--data-dir", data, "--config", config], AgentCluster.Bound);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        Assert.Equal("", result.StandardOutput);
        var line = Assert.Single(result.StandardError.Trim().Split('\n'));
        Assert.StartsWith($"capture-agent: --config {config}: {expected}", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "the refused agent created its data directory");
    }
}
