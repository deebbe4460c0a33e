using CaptureActors.Probes;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>The real ping probe through the agent's probes actor, on loopback: events as they come, the summary on cancel.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class PingProbeRunTests(ITestOutputHelper output)
    : AgentTestKit(AgentTestHost.Start(probes: new ProbeCatalog(new ProbeEnvironment())), output)
{
    [PrivilegedFact]
    public void A_ping_without_count_streams_replies_and_answers_CancelProbe_with_its_summary()
    {
        Privilege.Require();
        Guardian.Tell(new PingHost("ping-1", "127.0.0.1", null, TimeSpan.FromMilliseconds(200), 16, IcmpFamily.V4, TimeSpan.FromSeconds(1)), TestActor);

        Assert.Equal("127.0.0.1", ExpectMsg<PingStarted>(Wait).Address);
        var first = ExpectMsg<PingResponse>(Wait);
        Assert.Equal((1, PingOutcome.Reply, (int?)64, "127.0.0.1"), (first.Sequence, first.Outcome, first.Ttl, first.From));
        Assert.Equal(2, ExpectMsg<PingResponse>(Wait).Sequence);
        Guardian.Tell(new CancelProbe("ping-1"), TestActor);

        var ping = Assert.IsType<PingSummary>(FishForMessage<IProbeResult>(_ => true, Wait));
        Assert.True(ping.Interrupted);
        Assert.InRange(ping.Received, 2, ping.Transmitted);
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }
}
