namespace CaptureActors.Protocol;

/// <summary>The address family of a neighbour table: ARP (IPv4) or NDP (IPv6).</summary>
public enum NeighbourFamily
{
    Ipv4,
    Ipv6,
}

/// <summary>
/// <c>diagnostic network arpshow</c> (<see cref="NeighbourFamily.Ipv4"/>) and <c>ndpshow</c> (<see cref="NeighbourFamily.Ipv6"/>):
/// the node's neighbour cache of one family. Answered by <see cref="NeighbourReport"/>.
/// </summary>
public sealed record ShowNeighbours(string ProbeId, NeighbourFamily Family) : IProbeCommand;

public sealed record NeighbourReport(string ProbeId, NeighbourFamily Family, IReadOnlyList<NeighbourEntry> Entries) : IProbeResult;

/// <summary>One neighbour cache entry, as the kernel holds it.</summary>
/// <param name="Address">The neighbour's IP address.</param>
/// <param name="LinkAddress">Its MAC address; null while unresolved (INCOMPLETE, FAILED).</param>
/// <param name="Interface">The interface the neighbour is on.</param>
/// <param name="State">The kernel's NUD state: REACHABLE, STALE, DELAY, PROBE, INCOMPLETE, FAILED, NOARP, PERMANENT (several joined by <c>,</c>).</param>
/// <param name="IsRouter">The neighbour announced itself as a router (NDP only; always false for ARP).</param>
public sealed record NeighbourEntry(string Address, string? LinkAddress, string Interface, string State, bool IsRouter);

/// <summary>
/// <c>diagnostic network flush</c>: empties the node's IPv4 and IPv6 neighbour caches (permanent entries stay) and
/// the agent's own DNS cache. A change to the node: the console sends it only with <c>--yes</c>. Answered by <see cref="FlushReport"/>.
/// </summary>
public sealed record FlushCaches(string ProbeId) : IProbeCommand;

/// <param name="Ipv4Removed">ARP entries removed.</param>
/// <param name="Ipv6Removed">NDP entries removed.</param>
/// <param name="Ipv4Kept">ARP entries still there after the flush (permanent and no-ARP entries are never flushed).</param>
/// <param name="Ipv6Kept">NDP entries still there after the flush.</param>
/// <param name="DnsCacheFlushed">Whether the agent's DNS cache was flushed (false when this agent has none).</param>
public sealed record FlushReport(string ProbeId, int Ipv4Removed, int Ipv6Removed, int Ipv4Kept, int Ipv6Kept, bool DnsCacheFlushed) : IProbeResult;
