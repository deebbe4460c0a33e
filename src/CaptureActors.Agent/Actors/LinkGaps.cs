using CaptureActors.Capture;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>An interface capture's link-down stretches as the protocol reports them (reason <c>link-down</c>).</summary>
public static class LinkGaps
{
    public const string Reason = "link-down";

    /// <summary>
    /// The finished gaps, then the open one (while the link is still down) ending at <paramref name="now"/>;
    /// null when there was none.
    /// </summary>
    public static IReadOnlyList<CaptureGap>? ToCaptureGaps(InterfaceCounters counters, DateTimeOffset now)
    {
        var gaps = (counters.Gaps ?? []).Select(g => new CaptureGap(g.From, g.To, Reason)).ToList();
        if (counters.LinkDownSince is { } since)
        {
            gaps.Add(new CaptureGap(since, now, Reason));
        }

        return gaps.Count > 0 ? gaps : null;
    }

    /// <summary>What the status says while the link is down (the interface is waiting, not failed).</summary>
    public static string? Waiting(string name, InterfaceCounters counters) =>
        counters.LinkDownSince is { } since
            ? $"{name}: link down since {since.UtcDateTime:HH:mm:ss} UTC, waiting for it to come back"
            : null;
}
