using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

public sealed class AgentRestartTextTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 19, 18, 3, TimeSpan.Zero);

    [Fact]
    public void A_resumed_capture_shows_its_restarts_and_when_the_agent_was_down()
    {
        var gaps = new[] { new CaptureGap(T0, T0.AddSeconds(5), "agent-restart"), new CaptureGap(T0.AddMinutes(1), T0.AddMinutes(2), "link-down") };
        var status = Status(2) with { Interfaces = [Interface(gaps)] };

        Assert.Equal("restarts 2 (agent down 2026-11-24 19:18:03Z to 19:18:08Z)", AgentRestartText.Describe(status));
        Assert.Contains("restarts 2 (agent down", StatusRenderer.Summary(status), StringComparison.Ordinal);
    }

    [Fact]
    public void A_capture_that_never_restarted_shows_nothing()
    {
        Assert.Null(AgentRestartText.Describe(Status(0) with { Interfaces = [Interface([])] }));
        Assert.DoesNotContain("restarts", StatusRenderer.Summary(Status(0)), StringComparison.Ordinal);
    }

    private static CaptureStatus Status(int restarts) => new(
        "gw1", CaptureState.Running, "c1", new CaptureOwner("u", "h", 1, "capturectl"), true, CaptureSettings.Default, T0.AddMinutes(-1), null,
        TimeSpan.FromMinutes(1), null, null, [], Restarts: restarts);

    private static InterfaceCaptureStatus Interface(IReadOnlyList<CaptureGap> gaps) =>
        new("lo", CaptureState.Running, "f.pcap", 24, 0, 0, 0, 0, 0, 0, 2, null, null, Gaps: gaps);
}
