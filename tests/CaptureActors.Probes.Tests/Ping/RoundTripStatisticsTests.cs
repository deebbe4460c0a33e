using CaptureActors.Probes.Ping;

namespace CaptureActors.Probes.Tests.Ping;

public sealed class RoundTripStatisticsTests
{
    [Fact]
    public void Min_avg_max_and_mdev_are_iputils_population_figures()
    {
        var statistics = new RoundTripStatistics();
        foreach (var ms in new[] { 1.0, 2.0, 3.0, 6.0 })
        {
            statistics.Add(ms);
        }

        var summary = statistics.Summary()!;

        Assert.Equal((1.0, 3.0, 6.0), (summary.MinMs, summary.AvgMs, summary.MaxMs));
        Assert.Equal(Math.Sqrt(3.5), summary.MdevMs, 9);
    }

    [Fact]
    public void Nothing_received_has_no_figures()
    {
        Assert.Null(new RoundTripStatistics().Summary());
    }
}
