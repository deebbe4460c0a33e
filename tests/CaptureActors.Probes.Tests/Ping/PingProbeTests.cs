using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.Probes.Tests.Ping;

/// <summary>ping through a real router namespace to a real target namespace (<see cref="RoutedLab"/>).</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class PingProbeTests : IDisposable
{
    private readonly RoutedLab _lab = new();
    private readonly ConcurrentQueue<IProbeEvent> _events = new();

    public void Dispose() => _lab.Dispose();

    /// <summary>A resolver that fails the test if asked: no test may send a DNS query off this machine.</summary>
    private static readonly ProbeEnvironment NoDns = new()
    {
        ResolveHost = (name, _, _) => throw new InvalidOperationException($"unexpected DNS lookup of {name}"),
    };

    private async Task<IProbeResult> RunAsync(PingHost command, CancellationToken cancellationToken = default, ProbeEnvironment? environment = null)
    {
        var catalog = new ProbeCatalog(environment ?? NoDns);
        return await catalog.RunAsync(command, new ProbeContext(_events.Enqueue, cancellationToken));
    }

    private static PingHost Ping(IPAddress target, int? count, double intervalSeconds = 0.2, double timeoutSeconds = 1, IcmpFamily family = IcmpFamily.Any, int size = 56) =>
        new("p", target.ToString(), count, TimeSpan.FromSeconds(intervalSeconds), size, family, TimeSpan.FromSeconds(timeoutSeconds));

    private List<PingResponse> Responses => [.. _events.OfType<PingResponse>()];

    [PrivilegedTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Five_requests_to_the_target_get_five_replies_and_no_loss(bool ipv6)
    {
        var target = ipv6 ? _lab.TargetAddress6 : _lab.TargetAddress;

        var summary = Assert.IsType<PingSummary>(await RunAsync(Ping(target, 5, size: 100)));

        Assert.Equal((5, 5, 0, 0.0, false), (summary.Transmitted, summary.Received, summary.Errors, summary.LossPercent, summary.Interrupted));
        Assert.Equal(target.ToString(), summary.Address);
        var started = Assert.IsType<PingStarted>(_events.First());
        Assert.Equal(target.ToString(), started.Address);
        var replies = Responses;
        Assert.Equal([1, 2, 3, 4, 5], replies.Select(r => r.Sequence));
        Assert.All(replies, r =>
        {
            Assert.Equal(PingOutcome.Reply, r.Outcome);
            Assert.Equal(target.ToString(), r.From);
            Assert.Equal(108, r.Bytes);
            Assert.InRange(r.RoundTripMs!.Value, 0.001, 1000);
            Assert.Equal(63, r.Ttl); // the target's 64 (IPv4 TTL or IPv6 hop limit), less the router's hop
        });
        var rtt = summary.RoundTrips!;
        Assert.Equal(replies.Min(r => r.RoundTripMs!.Value), rtt.MinMs, 6);
        Assert.Equal(replies.Max(r => r.RoundTripMs!.Value), rtt.MaxMs, 6);
        Assert.InRange(rtt.AvgMs, rtt.MinMs, rtt.MaxMs);
    }

    [PrivilegedFact]
    public async Task A_target_that_ignores_echo_requests_loses_every_one_with_a_timeout_each()
    {
        _lab.SilenceTarget();
        var clock = Stopwatch.StartNew();

        var summary = Assert.IsType<PingSummary>(await RunAsync(Ping(_lab.TargetAddress, 3, intervalSeconds: 0.2, timeoutSeconds: 0.5)));

        Assert.Equal((3, 0, 100.0), (summary.Transmitted, summary.Received, summary.LossPercent));
        Assert.Null(summary.RoundTrips);
        Assert.Equal([1, 2, 3], Responses.Where(r => r.Outcome == PingOutcome.Timeout).Select(r => r.Sequence));
        Assert.DoesNotContain(Responses, r => r.Outcome == PingOutcome.Reply);
        // Requests go out every 0.2 s whatever happened to earlier ones; the last one's timeout ends the run: ~0.9 s.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.85), TimeSpan.FromSeconds(3));
        Assert.True(_lab.TargetEchoRequests() >= 3, "the requests must have reached the target");
    }

    [PrivilegedFact]
    public async Task A_target_that_stops_answering_half_way_shows_half_the_requests_lost()
    {
        // Silenced from the third reply on (the next request leaves 0.3 s later): exactly 3 of 6 come back.
        var catalog = new ProbeCatalog(NoDns);
        var replies = 0;
        var context = new ProbeContext(
            e =>
            {
                _events.Enqueue(e);
                if (e is PingResponse { Outcome: PingOutcome.Reply } && Interlocked.Increment(ref replies) == 3)
                {
                    _lab.SilenceTarget();
                }
            },
            CancellationToken.None);

        var summary = Assert.IsType<PingSummary>(await catalog.RunAsync(Ping(_lab.TargetAddress, 6, intervalSeconds: 0.3, timeoutSeconds: 0.5), context));

        Assert.Equal((6, 3, 50.0), (summary.Transmitted, summary.Received, summary.LossPercent));
        Assert.Equal([1, 2, 3], Responses.Where(r => r.Outcome == PingOutcome.Reply).Select(r => r.Sequence));
        Assert.Equal([4, 5, 6], Responses.Where(r => r.Outcome == PingOutcome.Timeout).Select(r => r.Sequence));
        Assert.Equal(Responses.Where(r => r.Outcome == PingOutcome.Reply).Max(r => r.RoundTripMs!.Value), summary.RoundTrips!.MaxMs, 6);
    }

    [PrivilegedFact]
    public async Task Cancelling_a_ping_without_count_returns_its_summary_and_stops_sending()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1.1));

        var summary = Assert.IsType<PingSummary>(await RunAsync(Ping(_lab.TargetAddress, null), cancel.Token));

        Assert.True(summary.Interrupted);
        Assert.InRange(summary.Transmitted, 4, 8); // every 0.2 s for 1.1 s
        Assert.InRange(summary.Received, summary.Transmitted - 1, summary.Transmitted);
        var seen = _lab.TargetEchoRequests();
        await Task.Delay(600);
        Assert.Equal(seen, _lab.TargetEchoRequests());
    }

    [PrivilegedFact]
    public async Task An_unreachable_answer_from_the_router_counts_as_an_error_not_a_reply()
    {
        // The router drops what it cannot forward: make its way to the target unreachable.
        _lab.Exec(_lab.Router, "ip", "route", "add", "unreachable", $"{_lab.TargetAddress}/32").EnsureSuccess("route");

        var summary = Assert.IsType<PingSummary>(await RunAsync(Ping(_lab.TargetAddress, 2)));

        Assert.Equal((2, 0, 2), (summary.Transmitted, summary.Received, summary.Errors));
        Assert.All(Responses, r =>
        {
            Assert.Equal(PingOutcome.Unreachable, r.Outcome);
            Assert.Equal(_lab.RouterUplinkAddress.ToString(), r.From);
            Assert.Equal("Destination Host Unreachable", r.Detail);
        });
    }

    [PrivilegedFact]
    public async Task A_flood_of_other_ICMP_on_the_node_costs_no_reply()
    {
        // A UDP burst to a closed loopback port makes the kernel send ICMP port unreachables (not rate limited on
        // loopback): every raw ICMP socket of the namespace is offered them, none is ours.
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        using var stop = new CancellationTokenSource();
        var flood = Task.Run(() =>
        {
            var sent = 0;
            for (var round = 0; round < 500 && !stop.IsCancellationRequested; round++)
            {
                sent += UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, closedPort), 10_000, 16, timeout: TimeSpan.FromSeconds(10));
            }

            return sent;
        });

        var summary = Assert.IsType<PingSummary>(await RunAsync(Ping(_lab.TargetAddress, 10, intervalSeconds: 0.2, timeoutSeconds: 1)));
        await stop.CancelAsync();
        var floodSent = await flood;

        Assert.True(floodSent >= 20_000, $"the flood sent only {floodSent} datagrams");
        Assert.Equal((10, 10), (summary.Transmitted, summary.Received));
    }

    [PrivilegedFact]
    public async Task An_unknown_host_name_fails_with_UnknownHost_and_the_name()
    {
        var environment = new ProbeEnvironment { ResolveHost = (_, _, _) => throw new SocketException((int)SocketError.HostNotFound) };

        var failure = await Assert.ThrowsAsync<ProbeException>(() =>
            RunAsync(new PingHost("p", "no-such-host.invalid", 1, PingHost.DefaultInterval, 56, IcmpFamily.Any, PingHost.DefaultReplyTimeout), environment: environment));

        Assert.Equal(ErrorCode.UnknownHost, failure.Code);
        Assert.Contains("no-such-host.invalid", failure.Message);
        Assert.Empty(_events);
    }

    [PrivilegedFact]
    public async Task A_name_is_resolved_through_the_nodes_resolver_in_the_asked_family()
    {
        var asked = new ConcurrentQueue<(string, AddressFamily)>();
        var environment = new ProbeEnvironment
        {
            ResolveHost = (name, family, _) =>
            {
                asked.Enqueue((name, family));
                return Task.FromResult(new[] { _lab.TargetAddress, _lab.TargetAddress6 });
            },
        };

        var summary = Assert.IsType<PingSummary>(await RunAsync(new PingHost("p", "target.lab", 1, PingHost.DefaultInterval, 8, IcmpFamily.V6, PingHost.DefaultReplyTimeout), environment: environment));

        Assert.Equal(("target.lab", AddressFamily.InterNetworkV6), Assert.Single(asked));
        Assert.Equal((_lab.TargetAddress6.ToString(), 1), (summary.Address, summary.Received));
    }
}
