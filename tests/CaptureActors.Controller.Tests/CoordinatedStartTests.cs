using Akka.Actor;
using CaptureActors.Controller.Coordination;
using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Controller.Tests;

public sealed class CoordinatedStartTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly CaptureOwner Owner = new("tester", "host", 1, "test");

    [Fact]
    public async Task The_clock_offset_is_measured_within_half_the_best_round_trip()
    {
        var agent = Sys.ActorOf(FakeAgent.Props("a", TimeSpan.FromSeconds(3), FakeAgent.Behaviour.Start, TestActor));

        var reading = await ClockProbe.MeasureAsync(agent, samples: 5);

        Assert.Equal("a", reading.Identity.Node);
        Assert.InRange(reading.Offset, TimeSpan.FromSeconds(3) - reading.RoundTrip, TimeSpan.FromSeconds(3) + reading.RoundTrip);
    }

    [Fact]
    public async Task One_capture_id_reaches_every_node_with_its_start_time_corrected_by_its_offset()
    {
        var nodes = new[] { ("a", 0.0), ("b", 2.5), ("c", -1.0) }
            .Select(n => new CoordinatedNode(
                n.Item1,
                Sys.ActorOf(FakeAgent.Props(n.Item1, TimeSpan.FromSeconds(n.Item2), FakeAgent.Behaviour.Start, TestActor)),
                TimeSpan.FromSeconds(n.Item2),
                TimeSpan.FromMilliseconds(1)))
            .ToList();

        var report = await CoordinatedStart.StartAsync(nodes, CaptureOptions.None, Owner, true, null, false, TimeSpan.FromSeconds(3));

        var requests = Enumerable.Range(0, 3).Select(_ => ExpectMsg<(string Node, object Start)>()).ToDictionary(r => r.Node, r => (StartCapture)r.Start);
        Assert.True(report.AllStarted);
        Assert.Single(requests.Values.Select(r => r.CaptureId).Distinct());
        Assert.Equal(report.CaptureId, requests["a"].CaptureId);
        Assert.Equal(report.ScheduledAt, requests["a"].StartAt);
        Assert.Equal(report.ScheduledAt + TimeSpan.FromSeconds(2.5), requests["b"].StartAt);
        Assert.Equal(report.ScheduledAt - TimeSpan.FromSeconds(1), requests["c"].StartAt);
        Assert.Equal(TimeSpan.Zero, report.Skew);
        Assert.True(report.ScheduledAt > DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Refused_and_unreachable_nodes_are_reported_and_all_or_nothing_stops_the_others()
    {
        CoordinatedNode Node(string name, FakeAgent.Behaviour behaviour) =>
            new(name, Sys.ActorOf(FakeAgent.Props(name, TimeSpan.Zero, behaviour, TestActor)), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        var nodes = new[] { Node("ok", FakeAgent.Behaviour.Start), Node("busy", FakeAgent.Behaviour.Refuse), Node("gone", FakeAgent.Behaviour.Silent) };

        var report = await CoordinatedStart.StartAsync(nodes, CaptureOptions.None, Owner, true, null, allOrNothing: true, TimeSpan.FromMilliseconds(500));

        Assert.False(report.AllStarted);
        Assert.Equal(NodeStartOutcome.Started, report.Nodes.Single(n => n.Node == "ok").Outcome);
        var busy = report.Nodes.Single(n => n.Node == "busy");
        Assert.Equal(NodeStartOutcome.Refused, busy.Outcome);
        Assert.Equal("busy is busy", busy.Message);
        Assert.Equal(NodeStartOutcome.Unreachable, report.Nodes.Single(n => n.Node == "gone").Outcome);
        Assert.Equal(["ok"], report.RolledBack);
        var messages = ReceiveN(4).Cast<(string Node, object Message)>().ToList();
        var stop = Assert.Single(messages, m => m.Message is StopCapture);
        Assert.Equal("ok", stop.Node);
        Assert.Equal(report.CaptureId, ((StopCapture)stop.Message).CaptureId);
    }

    [Fact]
    public async Task A_node_that_does_not_exist_is_named_within_the_bound()
    {
        var node = NodeAddress.Parse("ghost=127.0.0.1:1");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<NodeUnreachableException>(() => AgentResolver.ResolveAsync(Sys, node, TimeSpan.FromSeconds(1)));

        Assert.Contains("node 'ghost' (127.0.0.1:1) is unreachable", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}
