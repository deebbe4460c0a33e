using System.Globalization;
using Akka.Configuration;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Disk;

/// <summary>
/// The node's disk guard: <c>capture-agent.disk</c> in <c>hocon/agent.hocon</c>, where each key is documented.
/// A start is refused below the floor or at the quota; a running capture is checked every <see cref="CheckInterval"/>.
/// </summary>
/// <param name="Floor">Free space to leave on the capture directory's file system.</param>
/// <param name="QuotaBytes">Bytes all capture files of the directory may take together; null: no quota.</param>
/// <param name="CheckInterval">How often a running capture's disk is measured (statvfs and a directory listing).</param>
public sealed record DiskGuardSettings(DiskFloor Floor, long? QuotaBytes, TimeSpan CheckInterval)
{
    public const string ConfigPath = "capture-agent.disk";

    /// <summary>
    /// Besides the timer, each interface's writer asks for a check every this many bytes written (256 KB), so a fast
    /// writer on a small disk meets the floor before it meets a full disk; at most one check per <see cref="MinCheckInterval"/>.
    /// </summary>
    public long CheckEveryBytes { get; init; } = 256 * 1024;

    public static readonly TimeSpan MinCheckInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxCheckInterval = TimeSpan.FromMinutes(10);

    /// <summary>What applies when a key is not set: leave 2 % of the file system free, no quota, check every 2 s.</summary>
    public static readonly DiskGuardSettings Default = new(DiskFloor.Percent(2), null, TimeSpan.FromSeconds(2));

    /// <summary>No floor and no quota (tests that fill a disk on purpose).</summary>
    public static readonly DiskGuardSettings Off = new(DiskFloor.None, null, TimeSpan.FromSeconds(2));

    /// <summary>Reads <c>capture-agent.disk</c>; keys not given keep <see cref="Default"/>. Bad values throw with the key and what is allowed.</summary>
    public static DiskGuardSettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetConfig(ConfigPath);
        if (section is null || section.IsEmpty)
        {
            return Default;
        }

        var floorText = section.GetString("floor", null);
        var floor = Default.Floor;
        if (floorText is not null)
        {
            floor = DiskFloor.TryParse(floorText, out var parsed, out var error)
                ? parsed
                : throw new ConfigurationException($"{ConfigPath}.floor = '{floorText}': {error}");
        }

        var quotaText = section.GetString("quota", null);
        long? quota = Default.QuotaBytes;
        if (quotaText is not null && !IsOff(quotaText))
        {
            quota = ByteSize.TryParse(quotaText, out var bytes, out var error)
                ? bytes
                : throw new ConfigurationException($"{ConfigPath}.quota = '{quotaText}': {error}, or 'none'");
        }

        var interval = section.GetTimeSpan("check-interval", Default.CheckInterval);
        if (interval < MinCheckInterval || interval > MaxCheckInterval)
        {
            throw new ConfigurationException($"{ConfigPath}.check-interval = {DurationText.Format(interval)}: allowed are {DurationText.Format(MinCheckInterval)} to {DurationText.Format(MaxCheckInterval)}");
        }

        return new DiskGuardSettings(floor, quota, interval);
    }

    internal static bool IsOff(string text) => text.Trim().ToLowerInvariant() is "none" or "off" or "0";

    /// <summary>For logs and messages: <c>floor 2% (1.2 GB), quota 10.0 GB</c>.</summary>
    public string Describe(long totalBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"floor {Floor} ({ByteSize.Format(Floor.Bytes(totalBytes))}), quota {(QuotaBytes is { } q ? ByteSize.Format(q) : "none")}");
}
