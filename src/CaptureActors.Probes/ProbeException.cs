using CaptureActors.Protocol;

namespace CaptureActors.Probes;

/// <summary>A probe that cannot run or complete, with the code and the words the user sees.</summary>
public sealed class ProbeException(ErrorCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorCode Code { get; } = code;
}
