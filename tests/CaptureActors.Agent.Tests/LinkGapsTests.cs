using CaptureActors.Agent.Actors;
using CaptureActors.Capture;

namespace CaptureActors.Agent.Tests;

public sealed class LinkGapsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 19, 0, 0, TimeSpan.Zero);

    private static InterfaceCounters Counters(IReadOnlyList<LinkGap>? gaps, DateTimeOffset? downSince) =>
        new(1, 1, 40, 1, 0, 0, null, 40, 40, 2, gaps?.Count ?? 0, gaps, downSince);

    [Fact]
    public void Finished_gaps_then_the_open_one_ending_now_all_with_reason_link_down()
    {
        var gaps = LinkGaps.ToCaptureGaps(Counters([new LinkGap(T0, T0.AddSeconds(3))], T0.AddSeconds(10)), T0.AddSeconds(12));

        Assert.NotNull(gaps);
        Assert.Equal([(T0, T0.AddSeconds(3)), (T0.AddSeconds(10), T0.AddSeconds(12))], gaps.Select(g => (g.From, g.To)));
        Assert.All(gaps, g => Assert.Equal("link-down", g.Reason));
        Assert.Contains("link down since 19:00:10 UTC", LinkGaps.Waiting("eth0", Counters(null, T0.AddSeconds(10))), StringComparison.Ordinal);
    }

    [Fact]
    public void No_gap_gives_null_and_no_waiting_text()
    {
        Assert.Null(LinkGaps.ToCaptureGaps(Counters(null, null), T0));
        Assert.Null(LinkGaps.Waiting("eth0", Counters(null, null)));
    }
}
