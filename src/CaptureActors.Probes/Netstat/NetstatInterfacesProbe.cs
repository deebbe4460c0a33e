using System.Globalization;
using System.Net.NetworkInformation;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Netstat;

/// <summary>
/// <c>netstat interfaces</c>: one row per interface of this network namespace with its counters (<c>/proc/net/dev</c>),
/// MTU and hardware address (<c>/sys/class/net/IF</c>) and every address with its network (the system's
/// interface list, which reads netlink).
/// </summary>
public static class NetstatInterfacesProbe
{
    public static async Task<IProbeResult> RunAsync(ProbeEnvironment environment, ListNetstatInterfaces command, ProbeContext context)
    {
        var counters = await ReadCountersAsync(environment, context.CancellationToken).ConfigureAwait(false);
        var addresses = ReadAddresses();
        var interfaces = counters
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new InterfaceStatistics(
                c.Name,
                ReadMtu(environment, c.Name),
                ReadLinkAddress(environment, c.Name),
                addresses.GetValueOrDefault(c.Name) ?? [],
                c.ReceivePackets,
                c.ReceiveErrors,
                c.ReceiveDrops,
                c.ReceiveBytes,
                c.TransmitPackets,
                c.TransmitErrors,
                c.TransmitDrops,
                c.TransmitBytes,
                c.Collisions))
            .ToList();
        return new NetstatInterfacesReport(command.ProbeId, interfaces);
    }

    /// <summary>Every interface's counters now.</summary>
    public static async Task<IReadOnlyList<DeviceCounters>> ReadCountersAsync(ProbeEnvironment environment, CancellationToken cancellationToken)
    {
        var path = Path.Combine(environment.ProcRoot, "net", "dev");
        try
        {
            return ProcNetDevParser.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeException(ErrorCode.IoError, $"cannot read the interface counters from {path}: {e.Message}", e);
        }
    }

    private static Dictionary<string, IReadOnlyList<InterfaceAddress>> ReadAddresses()
    {
        var result = new Dictionary<string, IReadOnlyList<InterfaceAddress>>(StringComparer.Ordinal);
        NetworkInterface[] nics;
        try
        {
            nics = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException e)
        {
            throw new ProbeException(ErrorCode.IoError, $"cannot list the interfaces' addresses: {e.Message}", e);
        }

        foreach (var nic in nics)
        {
            result[nic.Name] = nic.GetIPProperties().UnicastAddresses
                .Select(a => new InterfaceAddress(Prefixes.Text(a.Address, a.PrefixLength), Prefixes.WithoutScope(a.Address).ToString()))
                .ToList();
        }

        return result;
    }

    private static int ReadMtu(ProbeEnvironment environment, string name) =>
        int.TryParse(ReadSys(environment, name, "mtu"), NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) ? mtu : 0;

    /// <summary>The hardware address; empty for links without one (loopback's all-zero address counts as none).</summary>
    private static string ReadLinkAddress(ProbeEnvironment environment, string name)
    {
        var address = ReadSys(environment, name, "address");
        return address.Trim(':', '0').Length == 0 ? "" : address;
    }

    private static string ReadSys(ProbeEnvironment environment, string name, string attribute)
    {
        try
        {
            return File.ReadAllText(Path.Combine(environment.SysClassNet, name, attribute)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
