using Akka.Event;
using CaptureActors.Agent.Storage;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// A session that resumes a detached capture after an agent restart (<see cref="Plan.Resume"/>): it writes new file
/// segments of the same capture (same names' prefix, next sequence numbers, same sidecar), runs only the time its
/// duration limit has left, lets a size-limited capture write only what its earlier files left of the limit, keeps a
/// ring at N files across runs, and reports the earlier runs in status and sidecar: original start, time run, counters
/// and files added up, restarts and gaps (reason <c>agent-restart</c>).
/// </summary>
public sealed partial class CaptureSession
{
    private readonly Dictionary<string, List<SidecarFile>> _earlierFiles = [];

    /// <summary>When this run must end: the start plus the limit, or for a resumed capture now plus what the limit has left.</summary>
    private DateTimeOffset? RunDeadline() => _plan.Settings.MaxDuration is not { } duration
        ? null
        : _plan.Resume is { } resume ? _activeFrom + (duration - resume.ActiveBefore) : _plan.StartedAt + duration;

    /// <summary>The file size limit of this run's segments on <paramref name="iface"/>.</summary>
    private long? FileSizeLimit(string iface) =>
        _plan.Resume is { } resume && _plan.Settings is { RingFiles: null, MaxFileSizeBytes: { } limit }
            ? Math.Max(CaptureResumption.MinimumSegmentBytes, CaptureResumption.RemainingBytes(limit, resume.PriorOf(iface)))
            : _plan.Settings.MaxFileSizeBytes;

    /// <summary>The files earlier runs left on <paramref name="iface"/> that still exist, oldest first.</summary>
    private List<SidecarFile> EarlierFiles(string iface)
    {
        if (!_earlierFiles.TryGetValue(iface, out var files))
        {
            files = [.. _plan.Resume?.PriorOf(iface)?.Files ?? []];
            _earlierFiles[iface] = files;
        }

        return files;
    }

    /// <summary>A ring keeps N files across runs: once this run has k files, only the newest N - k earlier ones stay.</summary>
    private void TrimEarlierRingFiles(string iface, Capture.InterfaceCounters counters)
    {
        if (_plan.Resume is null || _plan.Settings.RingFiles is not { } ring)
        {
            return;
        }

        var earlier = EarlierFiles(iface);
        var keep = Math.Max(0, ring - Math.Min(counters.Segments, ring));
        while (earlier.Count > keep && DeleteEarlierFile(iface, earlier[0].Name, "the ring"))
        {
        }
    }

    /// <summary>
    /// Deletes a file an earlier run of this capture left on <paramref name="iface"/> (this run's engine does not own it,
    /// so the session deletes it itself). False when it is not such a file or could not be deleted.
    /// </summary>
    private bool DeleteEarlierFile(string iface, string name, string why)
    {
        var earlier = EarlierFiles(iface);
        var index = earlier.FindIndex(f => f.Name == name);
        if (index < 0)
        {
            return false;
        }

        try
        {
            File.Delete(Path.Combine(_options.CaptureDirectory, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Capture {0}: {1} could not delete {2}: {3}", _plan.CaptureId, why, name, e.Message);
            return false;
        }

        earlier.RemoveAt(index);
        _log.Info("Capture {0}: {1} deleted {2} from before the agent restart", _plan.CaptureId, why, name);
        return true;
    }

    private CaptureStatus WithEarlierRuns(CaptureStatus status)
    {
        if (_plan.Resume is not { } resume)
        {
            return status;
        }

        return status with
        {
            StartedAt = _plan.StartedAt,
            Elapsed = resume.ActiveBefore + status.Elapsed,
            Restarts = resume.Restarts,
            Interfaces = [.. status.Interfaces.Select(i => WithEarlierRuns(i, resume))],
        };
    }

    private InterfaceCaptureStatus WithEarlierRuns(InterfaceCaptureStatus status, CaptureResumption resume)
    {
        var prior = resume.PriorOf(status.Interface);
        var files = EarlierFiles(status.Interface);
        return status with
        {
            FileSizeBytes = status.FileSizeBytes + files.Sum(f => f.SizeBytes),
            PacketsCaptured = status.PacketsCaptured + (prior?.PacketsCaptured ?? 0),
            PacketsWritten = status.PacketsWritten + (prior?.PacketsWritten ?? 0),
            BytesWritten = status.BytesWritten + (prior?.BytesWritten ?? 0),
            KernelReceived = status.KernelReceived + (prior?.KernelReceived ?? 0),
            KernelDropped = status.KernelDropped + (prior?.KernelDropped ?? 0),
            InterfaceDropped = status.InterfaceDropped + (prior?.InterfaceDropped ?? 0),
            Files = status.Files + files.Count,
            Gaps = [.. resume.Gaps.Concat(status.Gaps ?? []).OrderBy(g => g.From)],
        };
    }

    private SidecarInterface WithEarlierRuns(SidecarInterface entry)
    {
        if (_plan.Resume is not { } resume)
        {
            return entry;
        }

        var prior = resume.PriorOf(entry.Interface);
        return entry with
        {
            PacketsCaptured = entry.PacketsCaptured + (prior?.PacketsCaptured ?? 0),
            PacketsWritten = entry.PacketsWritten + (prior?.PacketsWritten ?? 0),
            BytesWritten = entry.BytesWritten + (prior?.BytesWritten ?? 0),
            KernelReceived = entry.KernelReceived + (prior?.KernelReceived ?? 0),
            KernelDropped = entry.KernelDropped + (prior?.KernelDropped ?? 0),
            InterfaceDropped = entry.InterfaceDropped + (prior?.InterfaceDropped ?? 0),
            Files = [.. EarlierFiles(entry.Interface), .. entry.Files],
        };
    }

    private CaptureSidecar WithEarlierRuns(CaptureSidecar sidecar) =>
        _plan.Resume is { } resume ? sidecar with { Restarts = resume.Restarts, Gaps = resume.Gaps } : sidecar;
}
