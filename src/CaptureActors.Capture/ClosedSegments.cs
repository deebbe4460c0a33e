namespace CaptureActors.Capture;

/// <summary>
/// The finished segments of a running capture that are still on disk, oldest first, each with its size, packets and
/// SHA-256 as recorded when it closed; and what the capture had written in all when the newest of them closed
/// (<paramref name="PacketsWritten"/>, <paramref name="BytesWritten"/>: the counters without the file being written).
/// A new instance is published on every change, so a reader sees a change by reference.
/// </summary>
public sealed record ClosedSegments(IReadOnlyList<CaptureSegment> Files, long PacketsWritten, long BytesWritten)
{
    public static readonly ClosedSegments None = new([], 0, 0);
}
