using CaptureActors.Protocol;

namespace CaptureActors.Probes.Neighbours;

/// <summary><c>diagnostic network arpshow</c>, <c>ndpshow</c> and <c>flush</c>.</summary>
public static class NeighbourProbes
{
    public static async Task<IProbeResult> ShowAsync(NeighbourTable table, ShowNeighbours command, ProbeContext context)
    {
        var entries = await table.ReadAsync(command.Family, context.CancellationToken).ConfigureAwait(false);
        return new NeighbourReport(command.ProbeId, command.Family, entries);
    }

    /// <summary>
    /// Flushes both neighbour caches, then the agent's DNS cache (<paramref name="flushDnsCache"/>; null when this node has none).
    /// Not cancellable half-way: each step takes milliseconds and a half-flushed node is worse than a late answer.
    /// </summary>
    public static async Task<IProbeResult> FlushAsync(NeighbourTable table, Action? flushDnsCache, FlushCaches command, ProbeContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var (v4Removed, v4Kept) = await table.FlushAsync(NeighbourFamily.Ipv4, CancellationToken.None).ConfigureAwait(false);
        var (v6Removed, v6Kept) = await table.FlushAsync(NeighbourFamily.Ipv6, CancellationToken.None).ConfigureAwait(false);
        flushDnsCache?.Invoke();
        return new FlushReport(command.ProbeId, v4Removed, v6Removed, v4Kept, v6Kept, flushDnsCache is not null);
    }
}
