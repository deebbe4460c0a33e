namespace CaptureActors.Protocol;

/// <summary>The reply that refuses a request: a probe's own <see cref="ProbeFailed"/> (its console waits on the probe id), else <see cref="CommandFailed"/>.</summary>
public static class Refusals
{
    public static ICaptureProtocol For(ICaptureProtocol? request, ErrorCode code, string message) =>
        request is IProbeCommand probe
            ? new ProbeFailed(TextBounds.Bounded(probe.ProbeId, RequestBounds.MaxIdLength), code, message) // an id over its bound is not echoed whole
            : new CommandFailed(code, message);
}
