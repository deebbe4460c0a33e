using Akka.Actor;
using CaptureActors.Protocol;

namespace CaptureActors.Controller.Nodes;

/// <summary>What a node told about itself, and how far its clock is from ours.</summary>
/// <param name="Offset">Node clock minus controller clock, from the round trip with the shortest time.</param>
/// <param name="RoundTrip">That shortest round trip; the offset is exact to within half of it.</param>
public sealed record ClockReading(AgentIdentity Identity, TimeSpan Offset, TimeSpan RoundTrip);

/// <summary>Measures a node's clock offset by round trips of <see cref="IdentifyAgent"/> (best of N, as NTP does).</summary>
public static class ClockProbe
{
    public const int DefaultSamples = 5;

    public static async Task<ClockReading> MeasureAsync(IActorRef agent, int samples = DefaultSamples, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var wait = timeout ?? TimeSpan.FromSeconds(5);
        ClockReading? best = null;
        for (var i = 0; i < samples; i++)
        {
            var sent = DateTimeOffset.UtcNow;
            var identity = await agent.Ask<AgentIdentity>(IdentifyAgent.Instance, wait).ConfigureAwait(false);
            var received = DateTimeOffset.UtcNow;
            var roundTrip = received - sent;
            var offset = identity.Clock - (sent + (roundTrip / 2));
            if (best is null || roundTrip < best.RoundTrip)
            {
                best = new ClockReading(identity, offset, roundTrip);
            }
        }

        return best!;
    }
}
