using System.Globalization;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Disk;

/// <summary>One measurement of the capture directory against the floor and the quota.</summary>
/// <param name="FloorBytes">The floor resolved against the file system's size; 0 when off.</param>
/// <param name="CaptureBytes">Bytes of every capture file in the directory.</param>
public sealed record DiskCheck(string Directory, FileSystemSpace Space, long FloorBytes, long CaptureBytes, long? QuotaBytes)
{
    /// <summary>How far free space is below the floor (0 when above it).</summary>
    public long BelowFloorBytes => Math.Max(0, FloorBytes - Space.FreeBytes);

    /// <summary>How far the capture files are over the quota (0 when within it or no quota).</summary>
    public long OverQuotaBytes => QuotaBytes is { } quota ? Math.Max(0, CaptureBytes - quota) : 0;

    /// <summary>Bytes to delete to be within both limits again.</summary>
    public long BytesToFree => Math.Max(BelowFloorBytes, OverQuotaBytes);

    public DiskHeadroom Headroom => new(Space.FreeBytes, FloorBytes, CaptureBytes, QuotaBytes);

    /// <summary>What is crossed, in words: <c>12.0 MB free on the file system of DIR, below the free-disk floor of 20.0 MB</c>.</summary>
    public string Problem()
    {
        var problems = new List<string>();
        if (BelowFloorBytes > 0)
        {
            var (free, floor) = Sizes(Space.FreeBytes, FloorBytes);
            problems.Add($"{free} free on the file system of {Directory}, below the free-disk floor of {floor} ({DiskGuardSettings.ConfigPath}.floor)");
        }

        if (OverQuotaBytes > 0)
        {
            var (used, quota) = Sizes(CaptureBytes, QuotaBytes!.Value);
            problems.Add($"the capture files of {Directory} take {used}, over the quota of {quota} ({DiskGuardSettings.ConfigPath}.quota)");
        }

        return problems.Count == 0 ? "within the floor and the quota" : string.Join("; ", problems);
    }

    /// <summary>Two sizes for people; in bytes when rounding would make them look equal ("3.1 MB free, below 3.1 MB").</summary>
    private static (string A, string B) Sizes(long a, long b) =>
        ByteSize.Format(a) != ByteSize.Format(b)
            ? (ByteSize.Format(a), ByteSize.Format(b))
            : (string.Create(CultureInfo.InvariantCulture, $"{a:N0} bytes"), string.Create(CultureInfo.InvariantCulture, $"{b:N0} bytes"));
}
