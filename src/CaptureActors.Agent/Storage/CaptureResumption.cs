using CaptureActors.Protocol;

namespace CaptureActors.Agent.Storage;

/// <summary>
/// What a detached capture resumed after an agent restart continues from: its earlier runs' time (the duration limit
/// counts it), files and counters, the restarts so far and the gaps between runs.
/// </summary>
/// <param name="Restarts">Agent restarts resumed from, this one included.</param>
/// <param name="Gaps">Every gap so far, this restart's last (reason <c>agent-restart</c>).</param>
/// <param name="ActiveBefore">Time the capture ran before this run.</param>
/// <param name="Prior">Each interface's files and counters from earlier runs (as the sidecar records them).</param>
public sealed record CaptureResumption(int Restarts, IReadOnlyList<CaptureGap> Gaps, TimeSpan ActiveBefore, IReadOnlyList<SidecarInterface> Prior)
{
    public const string AgentRestartGap = "agent-restart";

    /// <summary>The prior files and counters of <paramref name="iface"/>, or null when it had none.</summary>
    public SidecarInterface? PriorOf(string iface) => Prior.FirstOrDefault(p => p.Interface == iface);

    /// <summary>
    /// Whether the capture of <paramref name="intent"/>, whose sidecar is <paramref name="sidecar"/> (finished by a clean
    /// shutdown or by <see cref="OrphanedCaptureRepair"/>), resumes at <paramref name="now"/>, or why not.
    /// </summary>
    public static ResumeDecision Decide(CaptureIntent intent, CaptureSidecar? sidecar, DateTimeOffset now)
    {
        if (sidecar is null || sidecar.CaptureId != intent.CaptureId)
        {
            return ResumeDecision.Forget($"its sidecar {intent.SidecarName} is missing or belongs to another capture");
        }

        if (!sidecar.IsFinished || sidecar.StopReason is not (StopReason.AgentCrash or StopReason.AgentShutdown))
        {
            return ResumeDecision.Forget($"it ended already ({sidecar.StopReason?.ToText() ?? sidecar.State.ToString()})");
        }

        var interruptedAt = sidecar.StoppedAt ?? now;
        var ranFor = intent.ActiveBefore + (interruptedAt > intent.RunStartedAt ? interruptedAt - intent.RunStartedAt : TimeSpan.Zero);
        var settings = intent.Settings;
        if (settings.MaxDuration is { } duration && ranFor >= duration)
        {
            return ResumeDecision.Finish(StopReason.DurationReached, $"its duration of {DurationText.Format(duration)} was reached before the agent stopped");
        }

        if (settings is { RingFiles: null, MaxFileSizeBytes: { } limit }
            && sidecar.Interfaces.FirstOrDefault(i => RemainingBytes(limit, i) < MinimumSegmentBytes) is { } full)
        {
            return ResumeDecision.Finish(StopReason.SizeReached, $"interface {full.Interface} has its {ByteSize.Format(limit)} already");
        }

        var gaps = (IReadOnlyList<CaptureGap>)[.. intent.Gaps, new CaptureGap(interruptedAt, now, AgentRestartGap)];
        return ResumeDecision.Continue(new CaptureResumption(intent.Restarts + 1, gaps, ranFor, sidecar.Interfaces));
    }

    /// <summary>Smallest budget worth a new segment: a file header and one small record.</summary>
    public const long MinimumSegmentBytes = 24 + 16 + 64;

    /// <summary>Bytes a size-limited (non-ring) capture may still write on an interface: the limit spans all its runs' files.</summary>
    public static long RemainingBytes(long limit, SidecarInterface? prior) => limit - (prior?.Files.Sum(f => f.SizeBytes) ?? 0);
}

/// <summary>
/// The outcome of <see cref="CaptureResumption.Decide"/>: resume (<see cref="Resume"/> set), finish the sidecar with
/// <see cref="FinishWith"/> (a limit was reached while the agent was down), or just forget the intent.
/// </summary>
public sealed record ResumeDecision(CaptureResumption? Resume, StopReason? FinishWith, string Why)
{
    public static ResumeDecision Continue(CaptureResumption resume) => new(resume, null, "");

    public static ResumeDecision Finish(StopReason reason, string why) => new(null, reason, why);

    public static ResumeDecision Forget(string why) => new(null, null, why);
}
