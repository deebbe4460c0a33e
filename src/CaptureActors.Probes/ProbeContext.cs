using CaptureActors.Protocol;

namespace CaptureActors.Probes;

/// <summary>What one probe run gets from its host: a way to report events as they happen, and its cancellation.</summary>
/// <param name="Emit">Sends an event to the requester (thread-safe; never blocks).</param>
/// <param name="CancellationToken">Fires on Ctrl-C at the console, when the requester goes away, or at the probe's ceiling.</param>
public sealed record ProbeContext(Action<IProbeEvent> Emit, CancellationToken CancellationToken);
