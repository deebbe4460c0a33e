using Akka.Actor;
using Akka.Event;
using CaptureActors.Agent.Storage;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// Crash safety and durable intent of the node's capture. Whoever takes the node lock first finishes the captures a
/// dead process left open (<see cref="OrphanedCaptureRepair"/>). A detached capture's intent is stored
/// (<see cref="CaptureIntent"/>) while it should run; an agent that starts (<see cref="Hosting.AgentOptions.RecoverOnStart"/>)
/// and finds it resumes the capture in a new file segment, with the gap and the restart count in status.
/// </summary>
public sealed partial class CaptureSupervisor
{
    protected override void PreStart()
    {
        if (_options.RecoverOnStart)
        {
            RecoverAfterRestart();
        }
    }

    private void RecoverAfterRestart()
    {
        var nodeLock = NodeLock.TryAcquire(_options.DataDirectory);
        if (nodeLock is null)
        {
            _log.Info("Another process holds the capture lock of {0}: its capture is alive, nothing to recover", _options.DataDirectory);
            return;
        }

        var resumed = false;
        try
        {
            RepairOrphans();
            resumed = ResumeDetached(nodeLock);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error(e, "Recovery of {0} failed", _options.DataDirectory);
        }
        finally
        {
            if (!resumed)
            {
                nodeLock.Dispose();
            }
        }
    }

    /// <summary>Finishes the captures of dead processes; the caller holds the node lock.</summary>
    private void RepairOrphans()
    {
        try
        {
            OrphanedCaptureRepair.Run(_options.DataDirectory, _options.CaptureDirectory, message => _log.Warning("Recovery: {0}", message));
            if (File.Exists(ActiveCaptureRecord.PathIn(_options.DataDirectory)))
            {
                ActiveCaptureRecord.Delete(_options.DataDirectory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error(e, "Could not finish the files a dead process left in {0}", _options.CaptureDirectory);
        }
    }

    /// <summary>Resumes the stored detached capture, if there is one that should still run. True when a session started.</summary>
    private bool ResumeDetached(NodeLock nodeLock)
    {
        if (CaptureIntent.Read(_options.DataDirectory) is not { } intent)
        {
            return false;
        }

        var sidecarPath = Path.Combine(_options.CaptureDirectory, intent.SidecarName);
        var sidecar = AgentJson.TryRead<CaptureSidecar>(sidecarPath);
        var now = DateTimeOffset.UtcNow;
        var decision = CaptureResumption.Decide(intent, sidecar, now);
        var refusal = decision.Resume is null ? null : Refusal(intent.Settings, intent.CaptureId, null, requirePrivilege: true);
        if (decision.Resume is not { } resume || refusal is not null)
        {
            var why = refusal?.Message ?? decision.Why;
            _log.Warning("Detached capture {0} is not resumed: {1}", intent.CaptureId, why);
            if (sidecar is not null && (refusal is not null || decision.FinishWith is not null))
            {
                var reason = decision.FinishWith ?? StopReason.Error;
                AgentJson.WriteAtomically(sidecarPath, sidecar with
                {
                    State = refusal is null ? CaptureState.Stopped : CaptureState.Failed,
                    StopReason = reason,
                    Error = refusal is null ? null : $"could not resume after the agent restart: {why}",
                    Interfaces = [.. sidecar.Interfaces.Select(i => i with { StopReason = reason })],
                });
            }

            CaptureIntent.Delete(_options.DataDirectory);
            return false;
        }

        var plan = new CaptureSession.Plan(intent.CaptureId, intent.Node, intent.Settings, intent.Owner, true, null, intent.StartedAt, resume);
        _lock = nodeLock;
        RecordIntent(plan, now, resume.ActiveBefore);
        StartSession(plan, ActorRefs.Nobody);
        var gap = resume.Gaps[^1];
        _log.Warning("Detached capture {0} resumes after an agent restart (restart {1}; nothing captured from {2:O} to {3:O}; ran {4} before)",
            plan.CaptureId, resume.Restarts, gap.From, gap.To, DurationText.Format(resume.ActiveBefore));
        return true;
    }

    /// <summary>
    /// Stores the intent of a detached capture's run (durably, before its session starts). An attached capture has none:
    /// a stale intent left by a capture nobody resumed is dropped, as the node now runs another capture.
    /// </summary>
    private void RecordIntent(CaptureSession.Plan plan, DateTimeOffset runStartedAt, TimeSpan activeBefore)
    {
        try
        {
            if (!plan.Detached)
            {
                if (File.Exists(CaptureIntent.PathIn(_options.DataDirectory)))
                {
                    CaptureIntent.Delete(_options.DataDirectory);
                }

                return;
            }

            new CaptureIntent(
                CaptureIntent.CurrentFormatVersion,
                plan.CaptureId,
                plan.Node,
                plan.Owner,
                plan.Settings,
                CaptureSession.SidecarName(plan),
                plan.StartedAt,
                runStartedAt,
                activeBefore,
                plan.Resume?.Restarts ?? 0,
                plan.Resume?.Gaps ?? []).Write(_options.DataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("Could not store the intent of capture {0} in {1}: it will not resume after an agent restart ({2})",
                plan.CaptureId, _options.DataDirectory, e.Message);
        }
    }

    /// <summary>
    /// A detached capture that ended for good (any reason but <c>agent-shutdown</c>) must never resume: its intent goes.
    /// </summary>
    private void ForgetIntentUnlessShutdown(CaptureStatus? ended)
    {
        var captureId = ended?.CaptureId ?? _current?.CaptureId;
        if (ended?.StopReason == StopReason.AgentShutdown || CaptureIntent.Read(_options.DataDirectory)?.CaptureId is not { } stored || stored != captureId)
        {
            return;
        }

        try
        {
            CaptureIntent.Delete(_options.DataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("Could not remove {0}: capture {1} might resume after an agent restart ({2})", CaptureIntent.FileName, captureId, e.Message);
        }
    }
}
