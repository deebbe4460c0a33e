using CaptureActors.Agent.Storage;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Disk;

/// <summary>
/// The disk guard of one capture directory (design.md §4, "free-disk floor"): measures free space (statvfs) and the
/// capture files' bytes, refuses a start that has no room, and decides what a running capture does when the floor or
/// the quota is crossed. Runs on a timer in the capture session, never per packet.
/// </summary>
public sealed class DiskGuard(string captureDirectory, DiskGuardSettings settings, IDiskSpace space)
{
    public DiskGuardSettings Settings => settings;

    /// <summary>Measures now. The directory must exist.</summary>
    public DiskCheck Check()
    {
        var fs = space.Measure(captureDirectory);
        return new DiskCheck(captureDirectory, fs, settings.Floor.Bytes(fs.TotalBytes), CaptureBytes(captureDirectory), settings.QuotaBytes);
    }

    /// <summary>
    /// Bytes of every capture file (our names only, regular files only: a symbolic link's target is not counted) in
    /// <paramref name="directory"/>.
    /// </summary>
    public static long CaptureBytes(string directory)
    {
        long total = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*" + CaptureFileNames.PcapExtension))
        {
            if (CaptureFileNames.IsCaptureFileName(Path.GetFileName(path)))
            {
                try
                {
                    // Missing (deleted while listing, a ring) counts 0.
                    total += RegularFile.Inspect(path) is { Kind: RegularFile.Kind.Regular } file ? file.Size : 0;
                }
                catch (IOException)
                {
                    // Not examinable: not ours to count.
                }
            }
        }

        return total;
    }

    /// <summary>Why a capture may not start on this disk now, or null. The start needs room for its sidecar's reserve too.</summary>
    public static string? StartRefusal(DiskCheck check)
    {
        if (check.BytesToFree > 0)
        {
            return $"cannot start a capture: {check.Problem()}; free space with 'packetcapture delete' or 'clear', or change {DiskGuardSettings.ConfigPath} in the agent's configuration";
        }

        if (check.Space.FreeBytes < check.FloorBytes + SidecarReserve.Bytes)
        {
            return $"cannot start a capture: only {ByteSize.Format(check.Space.FreeBytes)} free on the file system of {check.Directory} (floor {ByteSize.Format(check.FloorBytes)}): no room for a capture file and its sidecar";
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="settings"/> cannot run on this disk, or null: the files they may keep at once (a ring's N files
    /// of the size limit, or one file up to it, per interface) must fit in the free space above the floor, less the
    /// sidecar's reserve; otherwise the capture would end in <c>write-error</c> or at the floor, never rotating. Without a
    /// size limit there is nothing to compare (the guard stops such a capture at the floor).
    /// </summary>
    public static string? StartRefusal(DiskCheck check, CaptureSettings settings)
    {
        if (StartRefusal(check) is { } refusal)
        {
            return refusal;
        }

        if (settings.MaxFileSizeBytes is not { } size)
        {
            return null;
        }

        var interfaces = Math.Max(1, settings.Interfaces.Count);
        var needed = size * (settings.RingFiles ?? 1) * interfaces;
        var room = Math.Max(0, check.Space.FreeBytes - check.FloorBytes - SidecarReserve.Bytes);
        if (needed <= room)
        {
            return null;
        }

        var per = interfaces == 1 ? "" : $" on each of {interfaces} interfaces";
        var what = settings.RingFiles is { } ring
            ? $"a ring of {ring} files of {ByteSize.Format(size)}{per} needs {ByteSize.Format(needed)}"
            : $"a file of up to {ByteSize.Format(size)}{per} needs {ByteSize.Format(needed)}";
        return $"cannot start a capture: {what}, but only {ByteSize.Format(room)} can be written on the file system of {check.Directory} above the free-disk floor"
            + $" ({ByteSize.Format(check.Space.FreeBytes)} free, floor {ByteSize.Format(check.FloorBytes)}, sidecar reserve {ByteSize.Format(SidecarReserve.Bytes)}):"
            + " choose a smaller --max-size or --ring, free space with 'packetcapture delete' or 'clear', or use 'none' for no size limit (the guard then stops at the floor)";
    }

    /// <summary>
    /// What a running capture does about <paramref name="check"/>: nothing while within limits; a ring deletes its oldest
    /// finished files (<paramref name="deletable"/>, oldest first, without the files being written and kept files) until
    /// enough is freed; a capture that is not a ring, or a ring that cannot free enough, stops with <c>disk-floor</c>.
    /// </summary>
    public static DiskGuardDecision Decide(DiskCheck check, bool ring, IReadOnlyList<DeletableFile> deletable)
    {
        var needed = check.BytesToFree;
        if (needed <= 0)
        {
            return DiskGuardDecision.Nothing;
        }

        if (!ring)
        {
            return DiskGuardDecision.Stop(check.Problem());
        }

        var chosen = new List<DeletableFile>();
        long freed = 0;
        foreach (var file in deletable)
        {
            if (freed >= needed)
            {
                break;
            }

            chosen.Add(file);
            freed += file.SizeBytes;
        }

        return freed >= needed
            ? DiskGuardDecision.Delete(chosen)
            : DiskGuardDecision.Stop($"{check.Problem()}; the ring has only {ByteSize.Format(freed)} in {deletable.Count} finished file(s) it may delete (the files being written and kept files stay)");
    }
}
