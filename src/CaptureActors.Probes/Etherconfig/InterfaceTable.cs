using System.Globalization;
using CaptureActors.Probes.Iproute;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Etherconfig;

/// <summary>
/// The node's interfaces in this network namespace: links and addresses from <c>ip -j -d addr show</c>, media from
/// sysfs (<c>speed</c>, <c>duplex</c>, <c>carrier</c>) and the ethtool ioctl, ARP settings from <c>/proc/sys/net/ipv4/conf</c>.
/// </summary>
public sealed class InterfaceTable(ProbeEnvironment environment, IpTool ip)
{
    public ProbeEnvironment Environment { get; } = environment;

    public IpTool Ip { get; } = ip;

    public async Task<IReadOnlyList<LinkRecord>> ReadLinksAsync(CancellationToken cancellationToken) =>
        LinkParser.Parse(await Ip.JsonAsync(["-d", "addr", "show"], cancellationToken).ConfigureAwait(false));

    /// <summary>Every interface with all it shows, sorted by name.</summary>
    public async Task<IReadOnlyList<EtherInterface>> ReadAsync(CancellationToken cancellationToken)
    {
        var links = await ReadLinksAsync(cancellationToken).ConfigureAwait(false);
        return [.. links.OrderBy(l => l.Name, StringComparer.Ordinal).Select(Describe)];
    }

    public EtherInterface Describe(LinkRecord link)
    {
        var sys = Path.Combine(Environment.SysClassNet, link.Name);
        var kind = link.InfoKind ?? (link.IsLoopback ? "loopback" : Directory.Exists(Path.Combine(sys, "device")) ? "physical" : link.LinkType);
        var media = new EtherMedia(
            SysInt(sys, "speed") is { } speed and > 0 ? speed : null,
            SysText(sys, "duplex") is { } duplex && duplex is "full" or "half" ? duplex : null,
            EthtoolIoctl.AutoNegotiation(link.Name),
            SysInt(sys, "carrier") is { } carrier ? carrier == 1 : null,
            EthtoolIoctl.Driver(link.Name));
        var conf = Path.Combine(Environment.ProcRoot, "sys", "net", "ipv4", "conf", link.Name);
        var multicast = new EtherMulticast(
            link.HasFlag("MULTICAST"),
            link.HasFlag("ALLMULTI"),
            FileInt(Path.Combine(conf, "arp_accept")),
            FileInt(Path.Combine(conf, "arp_notify")),
            FileInt(Path.Combine(conf, "arp_ignore")));
        return new EtherInterface(link.Name, kind, link.State, link.Mtu, link.MinMtu, link.MaxMtu, media, link.Vlan, link.Addresses, multicast);
    }

    private static int? SysInt(string directory, string file) => FileInt(Path.Combine(directory, file));

    private static string? SysText(string directory, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, file)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // sysfs answers EINVAL for what a device cannot tell (speed of a link that is down, of loopback).
            return null;
        }
    }

    private static int? FileInt(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
