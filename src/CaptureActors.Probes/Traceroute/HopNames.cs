using System.Net;
using CaptureActors.Probes.Dns;
using CaptureActors.Protocol;
using DnsClient;

namespace CaptureActors.Probes.Traceroute;

/// <summary>
/// The names of a trace's hops, as traceroute shows them: one reverse lookup (PTR) per distinct address through the
/// node's resolver (or the probe's <c>--dns-server</c>), all of a hop's at once and at most
/// <see cref="Protocol.Traceroute.NameWait"/>; an address without a name, or whose lookup failed or took too long,
/// is named by itself. Answers are remembered for the trace, so a router seen again is not asked again.
/// </summary>
internal sealed class HopNames(NodeResolver resolver, string? dnsServer)
{
    private readonly Dictionary<string, string> _known = [];

    /// <summary><paramref name="hop"/> with each answer's <see cref="TracerouteAnswer.Name"/> filled in.</summary>
    public async Task<TracerouteHop> NameAsync(TracerouteHop hop, CancellationToken cancellationToken)
    {
        var wanted = hop.Answers.Select(a => a.From).Where(f => f.Length > 0 && !_known.ContainsKey(f)).Distinct().ToList();
        if (wanted.Count > 0)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(Protocol.Traceroute.NameWait);
            var client = resolver.Client(Server());
            var names = await Task.WhenAll(wanted.Select(address => LookUpAsync(client, address, bound.Token))).ConfigureAwait(false);
            for (var i = 0; i < wanted.Count; i++)
            {
                _known[wanted[i]] = names[i] ?? wanted[i];
            }
        }

        return hop with
        {
            Answers = [.. hop.Answers.Select(a => a.From.Length > 0 && _known.TryGetValue(a.From, out var name) ? a with { Name = name } : a)],
        };
    }

    private static async Task<string?> LookUpAsync(ILookupClient client, string address, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return null;
        }

        try
        {
            var response = await client.QueryReverseAsync(ip, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            var name = response.Answers.PtrRecords().Select(r => r.PtrDomainName.Value.TrimEnd('.')).FirstOrDefault(n => n.Length > 0);
            return name;
        }
        catch (Exception e) when (e is DnsResponseException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return null; // no name in time: the address stands for itself, as traceroute prints it
        }
    }

    private IPEndPoint? Server()
    {
        if (dnsServer is null)
        {
            return null;
        }

        SmtpPingArguments.TryParseDnsServer(dnsServer, out var server, out _); // validated before the trace began
        return server;
    }
}
