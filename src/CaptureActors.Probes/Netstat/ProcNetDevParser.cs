using System.Globalization;

namespace CaptureActors.Probes.Netstat;

/// <summary>One interface's line of <c>/proc/net/dev</c>: the kernel's counters since the interface was created.</summary>
public sealed record DeviceCounters(
    string Name,
    long ReceiveBytes,
    long ReceivePackets,
    long ReceiveErrors,
    long ReceiveDrops,
    long TransmitBytes,
    long TransmitPackets,
    long TransmitErrors,
    long TransmitDrops,
    long Collisions);

/// <summary>
/// Parses <c>/proc/net/dev</c> (net/core/net-procfs.c dev_seq_printf_stats): two header lines, then
/// <c>NAME: rx bytes packets errs drop fifo frame compressed multicast tx bytes packets errs drop fifo colls carrier compressed</c>.
/// The receive drop column already includes missed and fifo-overrun counts as the kernel sums them. Malformed lines are skipped.
/// </summary>
public static class ProcNetDevParser
{
    public static IReadOnlyList<DeviceCounters> Parse(string text)
    {
        var devices = new List<DeviceCounters>();
        foreach (var line in text.Split('\n'))
        {
            if (TryParseLine(line, out var device))
            {
                devices.Add(device);
            }
        }

        return devices;
    }

    public static bool TryParseLine(string line, out DeviceCounters device)
    {
        device = null!;
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var name = line[..colon].Trim();
        var fields = line[(colon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (name.Length == 0 || name.Contains('|', StringComparison.Ordinal) || fields.Length < 16)
        {
            return false;
        }

        var values = new long[16];
        for (var i = 0; i < 16; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return false;
            }
        }

        device = new DeviceCounters(name, values[0], values[1], values[2], values[3], values[8], values[9], values[10], values[11], values[13]);
        return true;
    }
}
