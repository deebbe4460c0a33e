using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// A node that cannot be reached says why: "connection refused" when the kernel refused the connection (nothing listens
/// on the port), "no agent answered within 5 s" when something accepted it and said nothing.
/// </summary>
public sealed class UnreachableNodeTests
{
    [Fact]
    public void A_closed_port_says_connection_refused()
    {
        var port = SilentTcpServer.ClosedPort();

        var result = ProcessRunner.Run(Capturectl.Executable, ["packetcapture", "status", "--node", $"gone=127.0.0.1:{port}"], Capturectl.CommandTimeout);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            $"node 'gone' (127.0.0.1:{port}) is unreachable: connection refused (nothing listens on port {port} of 127.0.0.1: is its agent running, with --listen on that port?)",
            result.StandardError);
        Assert.DoesNotContain("no agent answered", result.StandardError);
    }

    [Fact]
    public void A_closed_port_is_code_refused_in_json()
    {
        var port = SilentTcpServer.ClosedPort();

        var result = ProcessRunner.Run(Capturectl.Executable, ["packetcapture", "status", "--node", $"gone=127.0.0.1:{port}", "--json"], Capturectl.CommandTimeout);

        Assert.Equal(1, result.ExitCode);
        var error = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("error");
        Assert.Equal("refused", error.GetProperty("code").GetString());
        Assert.Contains("connection refused", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_that_accepts_and_stays_silent_says_no_agent_answered()
    {
        using var silent = new SilentTcpServer();

        var result = ProcessRunner.Run(Capturectl.Executable, ["packetcapture", "status", "--node", $"mute=127.0.0.1:{silent.Port}"], Capturectl.CommandTimeout);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"node 'mute' (127.0.0.1:{silent.Port}) is unreachable: no agent answered within 5 s", result.StandardError);
        Assert.DoesNotContain("connection refused", result.StandardError);
    }
}
