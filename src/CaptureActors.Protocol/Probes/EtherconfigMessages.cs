namespace CaptureActors.Protocol;

/// <summary>The read-only views of <c>etherconfig</c>.</summary>
public enum EtherconfigView
{
    /// <summary>Per interface: speed, duplex, auto-negotiation, link, driver.</summary>
    Media,
    /// <summary>VLAN sub-interfaces with their parent and VLAN id.</summary>
    Vlan,
    /// <summary>Loopback interfaces and their addresses.</summary>
    Loopback,
    /// <summary>Every interface's MTU and the device's limits.</summary>
    Mtu,
    /// <summary>Per interface: multicast flags and the ARP sysctls closest to the appliance's multicast setting.</summary>
    Multicast,
}

/// <summary><c>etherconfig media|vlan|loopback|mtu|multicast</c>: one view of the node's interfaces. Answered by <see cref="EtherconfigReport"/>.</summary>
public sealed record ShowEtherconfig(string ProbeId, EtherconfigView View) : IProbeCommand;

/// <summary>
/// The node's interfaces as <paramref name="View"/> shows them. Every view carries the same rows: the console shows
/// the columns of its view, and <c>--json</c> scripts get everything.
/// </summary>
public sealed record EtherconfigReport(string ProbeId, EtherconfigView View, IReadOnlyList<EtherInterface> Interfaces) : IProbeResult;

/// <summary>One interface as etherconfig sees it.</summary>
/// <param name="Name">Interface name (<c>eth0</c>, <c>eth0.100</c>).</param>
/// <param name="Kind">What the kernel says it is: <c>physical</c>, <c>loopback</c>, or its link kind (<c>veth</c>, <c>vlan</c>, <c>bridge</c>, …).</param>
/// <param name="State">Operational state (<c>UP</c>, <c>DOWN</c>, <c>UNKNOWN</c>, …).</param>
/// <param name="Mtu">The MTU now.</param>
/// <param name="MinMtu">The smallest MTU the device accepts; null when the kernel does not say.</param>
/// <param name="MaxMtu">The largest MTU the device accepts; null when the kernel does not say.</param>
/// <param name="Media">Speed, duplex, auto-negotiation, link, driver.</param>
/// <param name="Vlan">Parent and VLAN id; null unless a VLAN interface.</param>
/// <param name="Addresses">Addresses with prefix length (<c>127.0.0.1/8</c>, <c>::1/128</c>).</param>
/// <param name="Multicast">Multicast flags and ARP settings.</param>
public sealed record EtherInterface(
    string Name,
    string Kind,
    string State,
    int Mtu,
    int? MinMtu,
    int? MaxMtu,
    EtherMedia Media,
    VlanLink? Vlan,
    IReadOnlyList<string> Addresses,
    EtherMulticast Multicast);

/// <param name="SpeedMbps">Link speed in Mb/s; null when the device reports none (virtual devices, link down).</param>
/// <param name="Duplex"><c>full</c>, <c>half</c>; null when the device reports none.</param>
/// <param name="AutoNegotiation">Whether auto-negotiation is on; null when the device does not support the query.</param>
/// <param name="LinkDetected">Carrier present; null when the interface is down (the kernel cannot tell).</param>
/// <param name="Driver">The kernel driver (<c>e1000e</c>, <c>veth</c>, <c>802.1Q VLAN Driver</c>); null when the device does not say.</param>
public sealed record EtherMedia(int? SpeedMbps, string? Duplex, bool? AutoNegotiation, bool? LinkDetected, string? Driver);

/// <param name="Parent">The interface the VLAN is on.</param>
/// <param name="VlanId">802.1Q VLAN id, 1..4094.</param>
public sealed record VlanLink(string Parent, int VlanId);

/// <param name="Multicast">IFF_MULTICAST: the interface sends and receives multicast.</param>
/// <param name="AllMulticast">IFF_ALLMULTI: every multicast frame is received, not only joined groups.</param>
/// <param name="ArpAccept"><c>net.ipv4.conf.IF.arp_accept</c>: gratuitous ARP creates new neighbour entries; null without IPv4.</param>
/// <param name="ArpNotify"><c>net.ipv4.conf.IF.arp_notify</c>: a gratuitous ARP is sent when the device comes up or its address changes; null without IPv4.</param>
/// <param name="ArpIgnore"><c>net.ipv4.conf.IF.arp_ignore</c>: which ARP requests are answered (0 any local address … 8 none); null without IPv4.</param>
public sealed record EtherMulticast(bool Multicast, bool AllMulticast, int? ArpAccept, int? ArpNotify, int? ArpIgnore);

/// <summary><c>etherconfig mtu set IF N --yes</c>. Answered by <see cref="EtherconfigChanged"/>.</summary>
public sealed record SetMtu(string ProbeId, string Interface, int Mtu) : IProbeCommand;

/// <summary><c>etherconfig vlan add IF ID --yes</c>: creates <c>IF.ID</c>. Answered by <see cref="EtherconfigChanged"/>.</summary>
public sealed record AddVlan(string ProbeId, string Parent, int VlanId) : IProbeCommand;

/// <summary><c>etherconfig vlan remove IF.ID --yes</c>: deletes a VLAN interface (only a VLAN). Answered by <see cref="EtherconfigChanged"/>.</summary>
public sealed record RemoveVlan(string ProbeId, string Interface) : IProbeCommand;

/// <summary>A change made: which interface, and what it was and is now.</summary>
/// <param name="Interface">The interface changed, created or removed.</param>
/// <param name="Change">What was done, in words (<c>mtu 1500 -> 1400</c>, <c>vlan 100 added on eth0</c>).</param>
public sealed record EtherconfigChanged(string ProbeId, string Interface, string Change) : IProbeResult;
