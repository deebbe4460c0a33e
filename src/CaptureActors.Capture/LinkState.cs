using System.Globalization;

namespace CaptureActors.Capture;

/// <summary>Whether an interface can carry packets now, as the kernel says in /sys/class/net.</summary>
public enum LinkState
{
    /// <summary>Administratively up and the operational state is up (or unknown, as for <c>lo</c> and tun).</summary>
    Up,

    /// <summary>Taken down (<c>ip link set X down</c>), or no carrier (a veth whose peer is down).</summary>
    Down,

    /// <summary>No such interface any more (<c>ip link del X</c>).</summary>
    Gone,
}

/// <summary>Reads an interface's <see cref="LinkState"/> from /sys/class/net/NAME/{flags,operstate}: two small file reads, no netlink socket.</summary>
public static class InterfaceLinkState
{
    private const string SysClassNet = "/sys/class/net";
    private const int IffUp = 0x1;

    public static LinkState Read(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == "any")
        {
            return LinkState.Up;
        }

        string directory = Path.Combine(SysClassNet, name);
        string? flagsText = ReadAttribute(directory, "flags");
        string? operState = ReadAttribute(directory, "operstate");
        if (flagsText is null || operState is null)
        {
            return Directory.Exists(directory) ? LinkState.Down : LinkState.Gone;
        }

        bool adminUp = flagsText.StartsWith("0x", StringComparison.Ordinal)
            && int.TryParse(flagsText.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int flags)
            && (flags & IffUp) != 0;
        return adminUp && operState is not ("down" or "lowerlayerdown" or "notpresent") ? LinkState.Up : LinkState.Down;
    }

    private static string? ReadAttribute(string directory, string attribute)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, attribute)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
