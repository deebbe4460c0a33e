using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.Probes.Tests.Traceroute;

/// <summary>traceroute / traceroute6 through a real router namespace to a real target namespace (<see cref="RoutedLab"/>).</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class TracerouteProbeTests : IDisposable
{
    private static readonly ProbeEnvironment NoDns = new()
    {
        ResolveHost = (name, _, _) => throw new InvalidOperationException($"unexpected DNS lookup of {name}"),
    };

    private readonly RoutedLab _lab = new();
    private readonly ConcurrentQueue<IProbeEvent> _events = new();

    public void Dispose() => _lab.Dispose();

    private async Task<TracerouteReport> RunAsync(Protocol.Traceroute command, CancellationToken cancellationToken = default) =>
        Assert.IsType<TracerouteReport>(await new ProbeCatalog(NoDns).RunAsync(command, new ProbeContext(_events.Enqueue, cancellationToken)));

    private static Protocol.Traceroute Trace(IPAddress target, int maxHops = 30, int probes = 3, double waitSeconds = 2) =>
        new("t", target.ToString(), target.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IcmpFamily.V6 : IcmpFamily.V4, maxHops, probes, TimeSpan.FromSeconds(waitSeconds), Numeric: true);

    [PrivilegedTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_router_answers_at_hop_one_the_target_at_hop_two_and_the_trace_stops(bool ipv6)
    {
        var router = (ipv6 ? _lab.RouterUplinkAddress6 : _lab.RouterUplinkAddress).ToString();
        var target = ipv6 ? _lab.TargetAddress6 : _lab.TargetAddress;

        var report = await RunAsync(Trace(target));

        Assert.True(report.Reached);
        Assert.False(report.Interrupted);
        Assert.Equal([1, 2], report.Hops.Select(h => h.Hop));
        Assert.Equal([router, router, router], report.Hops[0].Answers.Select(a => a.From));
        Assert.Equal([target.ToString(), target.ToString(), target.ToString()], report.Hops[1].Answers.Select(a => a.From));
        Assert.All(report.Hops.SelectMany(h => h.Answers), a =>
        {
            Assert.InRange(a.RoundTripMs!.Value, 0.001, 2000);
            Assert.Equal("", a.Flag);
        });
        var started = Assert.IsType<TracerouteStarted>(_events.First());
        Assert.Equal((target.ToString(), 30, ipv6 ? 80 : 60), (started.Address, started.MaxHops, started.PacketBytes));
        Assert.Equal(report.Hops, _events.OfType<TracerouteHopDone>().Select(e => e.Hop));
    }

    [PrivilegedTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_silent_target_shows_stars_until_max_hops_within_the_wait_bound(bool ipv6)
    {
        _lab.SilenceTarget();
        var target = ipv6 ? _lab.TargetAddress6 : _lab.TargetAddress;
        var clock = Stopwatch.StartNew();

        var report = await RunAsync(Trace(target, maxHops: 3, probes: 3, waitSeconds: 1));

        Assert.False(report.Reached);
        Assert.Equal([1, 2, 3], report.Hops.Select(h => h.Hop));
        Assert.All(report.Hops[0].Answers, a => Assert.Equal((ipv6 ? _lab.RouterUplinkAddress6 : _lab.RouterUplinkAddress).ToString(), a.From));
        Assert.All(report.Hops.Skip(1).SelectMany(h => h.Answers), a => Assert.Equal(("", (double?)null), (a.From, a.RoundTripMs)));
        // Hop 1 answers at once; hops 2 and 3 each wait their 1 s; never more than max hops × wait.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(3.5));
    }

    [PrivilegedFact]
    public async Task An_unreachable_target_is_flagged_and_ends_the_trace()
    {
        _lab.Exec(_lab.Router, "ip", "route", "add", "unreachable", $"{_lab.TargetAddress}/32").EnsureSuccess("route");

        var report = await RunAsync(Trace(_lab.TargetAddress, probes: 2));

        Assert.False(report.Reached);
        var hop = Assert.Single(report.Hops);
        Assert.All(hop.Answers, a => Assert.Equal((_lab.RouterUplinkAddress.ToString(), "!H"), (a.From, a.Flag)));
    }

    [PrivilegedFact]
    public async Task Cancelling_returns_the_hops_found_so_far()
    {
        _lab.SilenceTarget();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var clock = Stopwatch.StartNew();

        var report = await RunAsync(Trace(_lab.TargetAddress, maxHops: 10, waitSeconds: 1), cancel.Token);

        Assert.True(report.Interrupted);
        Assert.InRange(report.Hops.Count, 2, 3);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(2.5));
    }
}
