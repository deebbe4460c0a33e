using CaptureActors.Protocol;

namespace CaptureActors.Console.Rendering;

/// <summary>The stretches in which an interface captured nothing (link down, agent restart), one line each, and what a running interface waits for, for status.</summary>
public static class GapsRenderer
{
    /// <summary>Lines like <c>gap eth0 2026-11-24 19:01:02Z .. 2026-11-24 19:01:05Z (3.1 s, link-down)</c>; empty when there is none.</summary>
    /// <remarks>A gap still open (the link is down now) ends at the status's time; the interface's note says it is waiting.</remarks>
    public static IReadOnlyList<string> Lines(CaptureStatus status) =>
    [
        .. status.Interfaces.SelectMany(row => (row.Gaps ?? []).Select(gap =>
            $"gap {row.Interface} {TextFormat.Time(gap.From)} .. {TextFormat.Time(gap.To)} ({Seconds(gap.To - gap.From)}, {gap.Reason})")),
        .. status.Interfaces.Where(row => row.State == CaptureState.Running && row.Error is not null).Select(row => row.Error!),
    ];

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
