namespace CaptureActors.Protocol;

/// <summary>Life cycle of a capture (design.md §4).</summary>
public enum CaptureState
{
    Idle,
    Starting,
    Running,
    Stopping,
    Stopped,
    Failed,
}

/// <summary>Why a capture (or one interface of it) ended.</summary>
public enum StopReason
{
    ByRequest,
    DurationReached,
    SizeReached,
    OwnerLost,
    DiskFloor,
    InterfaceGone,
    WriteError,
    AgentShutdown,
    AgentCrash,
    Error,
}

public static class StopReasonText
{
    /// <summary>The kebab-case name used in status output, sidecars and JSON (e.g. <c>duration-reached</c>).</summary>
    public static string ToText(this StopReason reason) => reason switch
    {
        StopReason.ByRequest => "by-request",
        StopReason.DurationReached => "duration-reached",
        StopReason.SizeReached => "size-reached",
        StopReason.OwnerLost => "owner-lost",
        StopReason.DiskFloor => "disk-floor",
        StopReason.InterfaceGone => "interface-gone",
        StopReason.WriteError => "write-error",
        StopReason.AgentShutdown => "agent-shutdown",
        StopReason.AgentCrash => "agent-crash",
        StopReason.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static bool TryParse(string text, out StopReason reason)
    {
        foreach (var candidate in Enum.GetValues<StopReason>())
        {
            if (candidate.ToText() == text)
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
