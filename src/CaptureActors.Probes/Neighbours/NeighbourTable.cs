using System.Net;
using System.Numerics;
using CaptureActors.Probes.Iproute;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Neighbours;

/// <summary>The node's neighbour caches (ARP for IPv4, NDP for IPv6) in this network namespace, through <c>ip neigh</c>.</summary>
public sealed class NeighbourTable(IpTool ip)
{
    /// <summary>The entries of one family, sorted by interface then address.</summary>
    public async Task<IReadOnlyList<NeighbourEntry>> ReadAsync(NeighbourFamily family, CancellationToken cancellationToken)
    {
        var json = await ip.JsonAsync([FamilyOption(family), "neigh", "show"], cancellationToken).ConfigureAwait(false);
        return [.. NeighbourParser.Parse(json)
            .OrderBy(e => e.Interface, StringComparer.Ordinal)
            .ThenBy(e => AddressKey(e.Address))];
    }

    /// <summary>
    /// Flushes one family's cache: every entry but permanent and no-ARP ones (<c>ip neigh flush all</c>).
    /// Returns how many entries went and how many are left.
    /// </summary>
    public async Task<(int Removed, int Kept)> FlushAsync(NeighbourFamily family, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(family, cancellationToken).ConfigureAwait(false);
        await ip.RunAsync([FamilyOption(family), "neigh", "flush", "all"], cancellationToken).ConfigureAwait(false);
        var after = await ReadAsync(family, cancellationToken).ConfigureAwait(false);
        var left = after.Select(Key).ToHashSet();
        return (before.Count(e => !left.Contains(Key(e))), after.Count);
    }

    private static string FamilyOption(NeighbourFamily family) => family == NeighbourFamily.Ipv4 ? "-4" : "-6";

    private static (string, string) Key(NeighbourEntry entry) => (entry.Interface, entry.Address);

    /// <summary>Sorts addresses numerically (10.0.0.2 before 10.0.0.10); text that is no address sorts last as text.</summary>
    private static UInt128 AddressKey(string address) =>
        IPAddress.TryParse(address, out var parsed)
            ? (UInt128)new BigInteger(parsed.GetAddressBytes(), isUnsigned: true, isBigEndian: true)
            : UInt128.MaxValue;
}
