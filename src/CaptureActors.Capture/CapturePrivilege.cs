using System.Globalization;

namespace CaptureActors.Capture;

/// <summary>Whether this process may open capture devices, from the effective capabilities in /proc/self/status.</summary>
public static class CapturePrivilege
{
    /// <summary>CAP_NET_RAW, the capability that opening a packet socket needs.</summary>
    public const int CapNetRaw = 13;

    public const string MissingMessage =
        "capturing needs the CAP_NET_RAW capability, which this process lacks: run as root or grant it " +
        "(setcap cap_net_raw,cap_net_admin+eip on the capturectl executable, or systemd AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN)";

    /// <summary>Null when CAP_NET_RAW is effective, otherwise <see cref="MissingMessage"/>.</summary>
    public static string? Missing()
    {
        string status;
        try
        {
            status = File.ReadAllText("/proc/self/status");
        }
        catch (IOException e)
        {
            return $"cannot tell whether this process may capture: /proc/self/status: {e.Message}";
        }

        return HasNetRaw(status) ? null : MissingMessage;
    }

    /// <summary>Reads the CapEff line of a /proc/PID/status text; false when it is missing or unreadable.</summary>
    public static bool HasNetRaw(string procStatus)
    {
        foreach (string line in procStatus.Split('\n'))
        {
            if (line.StartsWith("CapEff:", StringComparison.Ordinal)
                && ulong.TryParse(line.AsSpan("CapEff:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong caps))
            {
                return (caps & (1UL << CapNetRaw)) != 0;
            }
        }

        return false;
    }
}
