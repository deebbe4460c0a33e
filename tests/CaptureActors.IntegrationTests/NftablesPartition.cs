using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// A network partition made with nftables inside a lab's namespace: every TCP packet from or to
/// <c>peer</c> is dropped (both directions, and every port: Akka.Remote may hold a connection each way), with no
/// reset or ICMP, so only missing heartbeats tell. Dispose heals it by deleting the table; deleting the namespace
/// removes it too. The kernel has nf_tables built in; the <c>nft</c> tool comes from the Debian package nftables.
/// </summary>
public sealed class NftablesPartition : IDisposable
{
    private const string Table = "ca_partition";
    private readonly NetworkNamespaceLab _lab;
    private bool _healed;

    private NftablesPartition(NetworkNamespaceLab lab) => _lab = lab;

    public static NftablesPartition Cut(NetworkNamespaceLab lab, System.Net.IPAddress peer)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(peer);
        var partition = new NftablesPartition(lab);
        try
        {
            Nft(lab, "add", "table", "inet", Table);
            foreach (var (chain, direction) in new[] { ("input", "saddr"), ("output", "daddr") })
            {
                Nft(lab, "add", "chain", "inet", Table, chain, "{", "type", "filter", "hook", chain, "priority", "0", ";", "policy", "accept", ";", "}");
                Nft(lab, "add", "rule", "inet", Table, chain, "ip", direction, peer.ToString(), "meta", "l4proto", "tcp", "drop");
            }
        }
        catch
        {
            partition.Dispose();
            throw;
        }

        return partition;
    }

    public void Dispose()
    {
        if (_healed)
        {
            return;
        }

        _healed = true;
        _lab.Exec("nft", "delete", "table", "inet", Table);
    }

    private static void Nft(NetworkNamespaceLab lab, params string[] arguments) =>
        lab.Exec(["nft", .. arguments]).EnsureSuccess("nft " + string.Join(' ', arguments) + " (is the nftables package installed?)");
}
