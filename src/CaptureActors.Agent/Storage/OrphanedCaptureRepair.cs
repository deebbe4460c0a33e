using CaptureActors.Pcap;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Storage;

/// <summary>
/// Finishes the captures a dead process left behind. A capture whose sidecar still says "running" while the caller holds
/// the <see cref="NodeLock"/> was being written by a process that is gone (the kernel frees the lock of a killed process,
/// so no live process can be writing it). For each: its files not yet listed are cut after their last whole record
/// (<see cref="PcapFileRepair"/>), their packets, times and SHA-256 are read back from the files, and the sidecar is
/// finished with <c>agent-crash</c>, stopped at the dead process's last sign of life. The caller must hold the lock.
/// </summary>
public static class OrphanedCaptureRepair
{
    /// <summary>Repairs every orphaned capture of <paramref name="dataDirectory"/>; <paramref name="log"/> hears what was done.</summary>
    public static IReadOnlyList<RepairedCapture> Run(string dataDirectory, string captureDirectory, Action<string> log)
    {
        if (!Directory.Exists(captureDirectory))
        {
            return [];
        }

        var sidecars = Directory.EnumerateFiles(captureDirectory, "*" + CaptureFileNames.SidecarExtension)
            .Select(path => (Path: path, Sidecar: AgentJson.TryRead<CaptureSidecar>(path)))
            .Where(s => s.Sidecar is not null)
            .ToList();
        var listed = sidecars.SelectMany(s => s.Sidecar!.Files).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var active = ActiveCaptureRecord.Read(dataDirectory);
        var heartbeat = File.Exists(ActiveCaptureRecord.PathIn(dataDirectory))
            ? new DateTimeOffset(File.GetLastWriteTimeUtc(ActiveCaptureRecord.PathIn(dataDirectory)), TimeSpan.Zero)
            : (DateTimeOffset?)null;

        var repaired = new List<RepairedCapture>();
        foreach (var (path, sidecar) in sidecars)
        {
            if (sidecar!.IsFinished)
            {
                continue;
            }

            var last = active?.SidecarName == Path.GetFileName(path) ? active : null;
            repaired.Add(Repair(path, sidecar, listed, last, last is null ? null : heartbeat, captureDirectory, log));
        }

        return repaired;
    }

    private static RepairedCapture Repair(
        string sidecarPath, CaptureSidecar sidecar, HashSet<string> listed, ActiveCaptureRecord? last, DateTimeOffset? heartbeat, string captureDirectory, Action<string> log)
    {
        var lastAlive = heartbeat ?? sidecar.StartedAt;
        var files = new List<RepairedFile>();
        var interfaces = new List<SidecarInterface>();
        foreach (var entry in sidecar.Interfaces)
        {
            var prefix = CaptureFileNames.FilePrefix(sidecar.Node, entry.Interface, sidecar.StartedAt);
            var found = new List<SidecarFile>();
            foreach (var path in Directory.EnumerateFiles(captureDirectory, prefix + "*" + CaptureFileNames.PcapExtension)
                .Where(p => CaptureFileNames.IsCaptureFileName(Path.GetFileName(p)) && !listed.Contains(Path.GetFileName(p)))
                .OrderBy(p => CaptureFileNames.SequenceOf(Path.GetFileName(p))))
            {
                if (RepairFile(path, log) is { } file)
                {
                    found.Add(file.File);
                    files.Add(file);
                    lastAlive = Later(lastAlive, file.File.LastPacketAt ?? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero));
                }
            }

            var counters = last?.Status.Interfaces.FirstOrDefault(i => i.Interface == entry.Interface);
            var written = entry.PacketsWritten + found.Sum(f => f.Packets);
            interfaces.Add(entry with
            {
                StopReason = StopReason.AgentCrash,
                PacketsWritten = written,
                BytesWritten = entry.BytesWritten + found.Sum(f => f.SizeBytes),
                PacketsCaptured = Math.Max(written, counters?.PacketsCaptured ?? entry.PacketsCaptured),
                KernelReceived = counters?.KernelReceived ?? entry.KernelReceived,
                KernelDropped = counters?.KernelDropped ?? entry.KernelDropped,
                InterfaceDropped = counters?.InterfaceDropped ?? entry.InterfaceDropped,
                Files = [.. entry.Files, .. found],
            });
        }

        var finished = sidecar with
        {
            State = CaptureState.Stopped,
            StopReason = StopReason.AgentCrash,
            StoppedAt = lastAlive,
            Interfaces = interfaces,
        };
        AgentJson.WriteAtomically(sidecarPath, finished);
        log($"capture {sidecar.CaptureId} was left running by a process that is gone: {files.Count} file(s) finished"
            + $" ({files.Count(f => f.BytesCut > 0)} with a partial last record cut), reason agent-crash, stopped at {lastAlive:O}");
        return new RepairedCapture(Path.GetFileName(sidecarPath), finished, files);
    }

    /// <summary>
    /// The repaired file, or null when there was nothing to keep (a file cut before its 24-byte header: deleted) or the
    /// entry is not a regular file with one link (<see cref="RegularFile"/>: left alone, a dead writer made no such thing).
    /// </summary>
    private static RepairedFile? RepairFile(string path, Action<string> log)
    {
        var name = Path.GetFileName(path);
        var entry = RegularFile.Inspect(path);
        if (entry.Problem is { } problem)
        {
            // Not written by the dead process (it writes regular files): neither cut, hashed, deleted nor listed.
            log($"'{name}' {problem}: left as it is, not part of the capture");
            return null;
        }

        if (entry.Size < PcapFormat.FileHeaderLength)
        {
            File.Delete(path);
            log($"{name} ended before its pcap header (no packet in it): deleted");
            return null;
        }

        try
        {
            var result = PcapFileRepair.Repair(path);
            var s = result.Summary;
            if (result.BytesCut > 0)
            {
                log($"{name}: cut {result.BytesCut} bytes of a partial last record; {s.Packets} whole packets kept");
            }

            return new RepairedFile(new SidecarFile(name, s.FileBytes, s.Packets, s.FirstPacketAt, s.LastPacketAt, result.Sha256), result.BytesCut);
        }
        catch (PcapFormatException e)
        {
            // Not ours to guess at: the file stays as it is, listed with what can be known for sure.
            log($"{name} could not be repaired and is kept unchanged: {e.Message}");
            using var stream = RegularFile.OpenRead(path, entry.Identity);
            var size = stream.Length;
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
            return new RepairedFile(new SidecarFile(name, size, 0, null, null, sha), 0);
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>An orphaned capture after repair: its finished sidecar and the files that were finished.</summary>
public sealed record RepairedCapture(string SidecarName, CaptureSidecar Sidecar, IReadOnlyList<RepairedFile> Files);

/// <summary>A file a dead process left open, now finished; <paramref name="BytesCut"/> of a partial last record were removed.</summary>
public sealed record RepairedFile(SidecarFile File, long BytesCut);
