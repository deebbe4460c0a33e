using System.Globalization;
using System.Text.RegularExpressions;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// The promise of issue 20: on loopback, capturectl ping's round trips are within 2× of iputils' ping (or iputils
/// + 0.05 ms), both run here one after the other. Compares the medians of the per-reply <c>time=</c> lines, and runs
/// the whole comparison once more if the first one misses (the machine is shared; one busy second is not the product).
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed partial class PingLatencyTests : IDisposable
{
    private const string IputilsPing = "/usr/bin/ping";

    private readonly TempDirectory _data = new("ca-pinglat-");
    private readonly Capturectl _ctl;

    public PingLatencyTests() => _ctl = new Capturectl(_data.Path);

    public void Dispose() => _data.Dispose();

    [PrivilegedFact]
    public void Loopback_round_trips_are_within_twice_those_of_iputils_ping()
    {
        Assert.True(File.Exists(IputilsPing), $"{IputilsPing} is missing: install iputils-ping (deploy/bootstrap.sh does)");
        var comparison = Compare();
        if (!comparison.Kept)
        {
            comparison = Compare();
        }

        Assert.True(comparison.Kept, comparison.ToString());
    }

    [PrivilegedFact]
    public void An_IPv6_reply_shows_its_hop_limit()
    {
        var result = _ctl.Run("ping", "::1", "-c", "1");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Matches(@"^64 bytes from ::1: icmp_seq=1 ttl=64 time=\d+(\.\d+)? ms$", result.Lines[1]);
    }

    private Comparison Compare()
    {
        var iputils = ProcessRunner.Run(IputilsPing, ["-c", "10", "-i", "0.2", "127.0.0.1"], TimeSpan.FromSeconds(60));
        var ours = _ctl.Run("ping", "127.0.0.1", "-c", "10", "-i", "0.2");
        Assert.True(iputils.ExitCode == 0, iputils.StandardOutput + iputils.StandardError);
        Assert.True(ours.ExitCode == 0, ours.StandardOutput + ours.StandardError);
        return new Comparison(Median(iputils.StandardOutput), Median(ours.StandardOutput));
    }

    /// <summary>The median of the <c>time=X ms</c> of ten replies (all ten must be there).</summary>
    private static double Median(string output)
    {
        var times = RoundTrip().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order().ToList();
        Assert.True(times.Count == 10, $"expected 10 replies, got {times.Count}:\n{output}");
        return (times[4] + times[5]) / 2;
    }

    [GeneratedRegex(@"^\d+ bytes from .*time=([\d.]+) ms$", RegexOptions.Multiline)]
    private static partial Regex RoundTrip();

    private sealed record Comparison(double IputilsMedian, double CapturectlMedian)
    {
        public double Bound => Math.Max(2 * IputilsMedian, IputilsMedian + 0.05);

        public bool Kept => CapturectlMedian <= Bound;

        public override string ToString() =>
            $"capturectl median {CapturectlMedian:0.000} ms, iputils {IputilsMedian:0.000} ms: at most {Bound:0.000} ms allowed";
    }
}
