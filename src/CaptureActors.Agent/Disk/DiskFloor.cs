using System.Globalization;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Disk;

/// <summary>The free-disk floor: absolute bytes (<c>2GB</c>) or a percentage of the file system (<c>5%</c>); <see cref="None"/> is off.</summary>
public sealed record DiskFloor(long? AbsoluteBytes, double? PercentOfTotal)
{
    public static readonly DiskFloor None = new(0L, null);

    public static DiskFloor Absolute(long bytes) => new(bytes, null);

    public static DiskFloor Percent(double percent) => new(null, percent);

    /// <summary>The floor in bytes on a file system of <paramref name="totalBytes"/>.</summary>
    public long Bytes(long totalBytes) =>
        AbsoluteBytes ?? (long)Math.Ceiling(totalBytes * (PercentOfTotal ?? 0) / 100.0);

    public bool IsOff => AbsoluteBytes == 0 || PercentOfTotal == 0;

    public override string ToString() =>
        PercentOfTotal is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p:0.##}%") : AbsoluteBytes is 0 or null ? "none" : ByteSize.Format(AbsoluteBytes.Value);

    /// <summary>Parses <c>2GB</c>, <c>512MB</c>, <c>5%</c>, <c>0.5%</c> or <c>none</c>.</summary>
    public static bool TryParse(string text, out DiskFloor floor, out string error)
    {
        floor = None;
        error = "";
        var trimmed = text.Trim();
        if (DiskGuardSettings.IsOff(trimmed))
        {
            return true;
        }

        if (trimmed.EndsWith('%'))
        {
            if (double.TryParse(trimmed[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) && percent is > 0 and < 100)
            {
                floor = Percent(percent);
                return true;
            }

            error = "a percentage must be more than 0% and less than 100% (e.g. 5%)";
            return false;
        }

        if (ByteSize.TryParse(trimmed, out var bytes, out var sizeError))
        {
            floor = Absolute(bytes);
            return true;
        }

        error = $"{sizeError}; or a percentage of the file system such as 5%, or 'none'";
        return false;
    }
}
