using System.Globalization;
using System.Net.NetworkInformation;
using SharpPcap.LibPcap;

namespace CaptureActors.Capture;

/// <summary>Interfaces as libpcap lists them (pcap_findalldevs) merged with the kernel's view (/sys/class/net, NetworkInformation).</summary>
internal static class InterfaceInventory
{
    private const string SysClassNet = "/sys/class/net";
    private const int IffUp = 0x1;

    public static IReadOnlyList<PcapInterface> PcapInterfaces() => PcapInterface.GetAllPcapInterfaces();

    public static IReadOnlyList<InterfaceInfo> List()
    {
        IReadOnlyList<PcapInterface> pcap = PcapInterfaces();
        Dictionary<string, NetworkInterface> kernel = new(StringComparer.Ordinal);
        foreach (NetworkInterface ni in NetworkInterface.GetAllNetworkInterfaces())
        {
            kernel.TryAdd(ni.Name, ni);
        }

        SortedSet<string> names = new(StringComparer.Ordinal);
        names.UnionWith(pcap.Select(p => p.Name));
        names.UnionWith(kernel.Keys);
        if (Directory.Exists(SysClassNet))
        {
            names.UnionWith(Directory.EnumerateFileSystemEntries(SysClassNet).Select(Path.GetFileName).OfType<string>());
        }

        List<InterfaceInfo> result = [];
        foreach (string name in names)
        {
            PcapInterface? p = pcap.FirstOrDefault(i => i.Name == name);
            kernel.TryGetValue(name, out NetworkInterface? k);
            result.Add(Describe(name, p, k));
        }

        return result;
    }

    public static bool Exists(string name) => name == "any" || Directory.Exists(Path.Combine(SysClassNet, name));

    private static InterfaceInfo Describe(string name, PcapInterface? pcap, NetworkInterface? kernel)
    {
        if (name == "any")
        {
            return new InterfaceInfo(name, true, [], null, "LINUX_SLL2", pcap is not null, // what a capture on it writes (LibPcapCaptureEngine)
                pcap?.Description ?? "Pseudo-device that captures on all interfaces");
        }

        string? flagsText = ReadSys(name, "flags");
        string? operState = ReadSys(name, "operstate");
        bool adminUp = flagsText is not null && flagsText.StartsWith("0x", StringComparison.Ordinal)
            && int.TryParse(flagsText.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int flags)
            && (flags & IffUp) != 0;
        bool isUp = flagsText is null
            ? kernel?.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown
            : adminUp && operState is not ("down" or "lowerlayerdown" or "notpresent");

        int? mtu = int.TryParse(ReadSys(name, "mtu"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int m) ? m : null;

        List<string> addresses = [];
        if (kernel is not null)
        {
            try
            {
                foreach (UnicastIPAddressInformation a in kernel.GetIPProperties().UnicastAddresses)
                {
                    addresses.Add($"{a.Address}/{a.PrefixLength}");
                }
            }
            catch (NetworkInformationException)
            {
                // Interface vanished while listing; report it without addresses.
            }
        }
        else if (pcap is not null)
        {
            addresses.AddRange(pcap.Addresses
                .Select(a => a.Addr?.ipAddress)
                .OfType<System.Net.IPAddress>()
                .Select(a => a.ToString()));
        }

        string linkType = LinkTypeOf(ReadSys(name, "type"));
        string? description = pcap?.Description ?? (name == "lo" ? "Loopback" : null);
        return new InterfaceInfo(name, isUp, addresses, mtu, linkType, pcap is not null, description);
    }

    /// <summary>libpcap's DLT name for an ARPHRD type, as pcap-linux.c maps them.</summary>
    private static string LinkTypeOf(string? arpHardwareType) => arpHardwareType switch
    {
        "1" or "772" => "EN10MB",          // ARPHRD_ETHER, ARPHRD_LOOPBACK
        "65534" or "768" or "776" => "RAW", // ARPHRD_NONE (tun), IPIP, SIT
        "778" => "LINUX_SLL",               // ARPHRD_IPGRE
        "512" => "LINUX_SLL",               // ARPHRD_PPP
        "32" => "LINUX_SLL",                // ARPHRD_INFINIBAND
        "801" or "802" or "803" => "IEEE802_11_RADIO",
        _ => "unknown",
    };

    private static string? ReadSys(string name, string attribute)
    {
        try
        {
            return File.ReadAllText(Path.Combine(SysClassNet, name, attribute)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
