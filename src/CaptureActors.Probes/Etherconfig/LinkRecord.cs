using System.Net;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Etherconfig;

/// <summary>One interface as <c>ip -j -d addr show</c> describes it.</summary>
/// <param name="InfoKind">The link kind of virtual devices (<c>veth</c>, <c>vlan</c>, <c>bridge</c>); null for real hardware and loopback.</param>
/// <param name="LinkType"><c>ether</c>, <c>loopback</c>, <c>none</c>, …</param>
/// <param name="Flags">Interface flags as ip prints them (<c>UP</c>, <c>MULTICAST</c>, <c>ALLMULTI</c>, …).</param>
/// <param name="Addresses">Addresses with prefix length.</param>
public sealed record LinkRecord(
    string Name,
    string? InfoKind,
    string LinkType,
    string State,
    int Mtu,
    int? MinMtu,
    int? MaxMtu,
    IReadOnlyList<string> Flags,
    VlanLink? Vlan,
    IReadOnlyList<string> Addresses)
{
    public bool IsLoopback => LinkType == "loopback" || Flags.Contains("LOOPBACK");

    public bool IsVlan => InfoKind == "vlan";

    public bool HasFlag(string flag) => Flags.Contains(flag);

    /// <summary>The addresses without their prefix length.</summary>
    public IEnumerable<IPAddress> IpAddresses =>
        Addresses.Select(a => IPAddress.TryParse(a.Split('/')[0], out var ip) ? ip : null).OfType<IPAddress>();
}
