namespace CaptureActors.Capture;

/// <summary>A stretch in which an interface's link was down during a capture: nothing could be captured, no file was open.</summary>
public sealed record LinkGap(DateTimeOffset From, DateTimeOffset To);
