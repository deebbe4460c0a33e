namespace CaptureActors.Agent.Disk;

/// <summary>A finished capture file the guard may delete.</summary>
public sealed record DeletableFile(string Path, string Interface, long SizeBytes);

/// <summary>What the disk guard decided: nothing, delete these files, or stop the capture (with why).</summary>
public sealed record DiskGuardDecision(IReadOnlyList<DeletableFile> Deletions, string? StopBecause)
{
    public static readonly DiskGuardDecision Nothing = new([], null);

    public static DiskGuardDecision Delete(IReadOnlyList<DeletableFile> files) => new(files, null);

    public static DiskGuardDecision Stop(string because) => new([], because);
}
