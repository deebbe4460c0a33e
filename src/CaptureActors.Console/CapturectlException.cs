using CaptureActors.Protocol;

namespace CaptureActors.Console;

/// <summary>A command failed (exit 1). <see cref="Code"/> is the agent's error code when it gave one.</summary>
public class CapturectlFailure(string message, ErrorCode? code = null, object? detail = null) : Exception(message)
{
    public ErrorCode? Code { get; } = code;

    /// <summary>Extra data for the JSON error document (e.g. the running capture of an AlreadyRunning rejection).</summary>
    public object? Detail { get; } = detail;
}

/// <summary>The command line is wrong (exit 2): a value that cannot be parsed or is out of range.</summary>
public sealed class UsageException(string message) : Exception(message);
