using System.Net;
using DnsClient;

namespace CaptureActors.Probes.Dns;

/// <summary>
/// The node's own DNS resolver (DnsClient's <see cref="LookupClient"/>, which caches answers for their TTL): one client
/// for the node's configured name servers (<c>/etc/resolv.conf</c>, read when the client is made) and one per explicit
/// server a probe asked (<c>--dns-server</c>). The catalog holds one instance for every probe of the node, so a probe's
/// lookups fill the same cache that <see cref="FlushCache"/> empties (<c>diagnostic network flush</c>).
/// </summary>
public sealed class NodeResolver
{
    /// <summary>Clients kept for explicit servers; past this many the oldest are dropped (bounded memory).</summary>
    public const int MaxServerClients = 16;

    /// <summary>How long one query waits for a server before its one retry (the probe's own timeout bounds the whole).</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private readonly Dictionary<IPEndPoint, LookupClient> _servers = [];
    private readonly Queue<IPEndPoint> _serverOrder = new();
    private LookupClient? _system;

    /// <summary>How many times the cache was flushed since the agent started.</summary>
    public int Flushes { get; private set; }

    /// <summary>
    /// The client for <paramref name="server"/>, or for the node's configured servers when null. Made on first use, so a
    /// changed <c>/etc/resolv.conf</c> is read again after <see cref="FlushCache"/>.
    /// </summary>
    public ILookupClient Client(IPEndPoint? server)
    {
        lock (_gate)
        {
            if (server is null)
            {
                return _system ??= new LookupClient(Options(new LookupClientOptions()));
            }

            if (_servers.TryGetValue(server, out var known))
            {
                return known;
            }

            while (_servers.Count >= MaxServerClients && _serverOrder.TryDequeue(out var oldest))
            {
                _servers.Remove(oldest);
            }

            var client = new LookupClient(Options(new LookupClientOptions(server)));
            _servers[server] = client;
            _serverOrder.Enqueue(server);
            return client;
        }
    }

    /// <summary>
    /// Forgets every cached answer (DnsClient has no public way to empty a client's cache, so the clients are dropped
    /// and made anew on next use; that also re-reads the node's resolver configuration). Returns how many clients,
    /// each with its cache, were dropped.
    /// </summary>
    public int FlushCache()
    {
        lock (_gate)
        {
            var dropped = _servers.Count + (_system is null ? 0 : 1);
            _system = null;
            _servers.Clear();
            _serverOrder.Clear();
            Flushes++;
            return dropped;
        }
    }

    private static LookupClientOptions Options(LookupClientOptions options)
    {
        options.UseCache = true;
        options.Timeout = QueryTimeout;
        options.Retries = 1;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = true;
        options.UseTcpFallback = true;
        return options;
    }
}
