using System.Net;
using System.Net.Sockets;
using CaptureActors.Probes.Dns;
using CaptureActors.Protocol;
using DnsClient;
using DnsClient.Protocol;

namespace CaptureActors.Probes.Smtp;

/// <summary>Where mail for a target goes: the host chosen, how, and its addresses in the order to try them.</summary>
public sealed record MailHost(SmtpHostSource Source, IReadOnlyList<SmtpMxHost> MxHosts, string Host, int? Preference, IReadOnlyList<IPAddress> Addresses);

/// <summary>
/// RFC 5321 §5.1: the domain's MX records by preference, the first MX host with an address; a domain without MX is
/// its own mail host (A/AAAA, the implicit MX). A null MX (RFC 7505) means the domain takes no mail.
/// </summary>
public static class MailHostLookup
{
    /// <summary>
    /// Resolves <paramref name="target"/> through <paramref name="resolver"/> (asking <paramref name="server"/>, or the
    /// node's resolvers). Fails with <see cref="ProbeException"/>(<see cref="ErrorCode.UnknownHost"/>) for a name that
    /// does not exist or has no mail host record at all, with <see cref="SmtpPhaseFailure"/> for a DNS error.
    /// </summary>
    public static async Task<MailHost> ResolveAsync(NodeResolver resolver, IPEndPoint? server, string target, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(target, out var literal))
        {
            return new MailHost(SmtpHostSource.Literal, [], literal.ToString(), null, [literal]);
        }

        var client = resolver.Client(server);
        var from = server is null ? "the node's resolvers" : server.ToString();
        var name = target.TrimEnd('.');

        var mx = await QueryAsync(client, name, QueryType.MX, from, cancellationToken).ConfigureAwait(false);
        if (mx.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            // Before giving up on a name the DNS does not know, the node's own hosts file (localhost, lab names).
            var local = server is null ? await HostsAddressesAsync(name, cancellationToken).ConfigureAwait(false) : [];
            return local.Count > 0
                ? new MailHost(SmtpHostSource.ImplicitMx, [], name, null, local)
                : throw new ProbeException(ErrorCode.UnknownHost, $"unknown domain '{name}': {from} answered NXDOMAIN (no such name)");
        }

        ThrowOnError(mx, name, QueryType.MX, from);
        var records = mx.Answers.MxRecords()
            .Select(r => new SmtpMxHost(r.Exchange.Value.TrimEnd('.'), r.Preference, []))
            .OrderBy(r => r.Preference)
            .ThenBy(r => r.Host, StringComparer.OrdinalIgnoreCase)
            .ToList();

        if (records.Count == 0)
        {
            var addresses = await AddressesAsync(client, name, from, cancellationToken).ConfigureAwait(false);
            if (addresses.Count == 0 && server is null)
            {
                addresses = await HostsAddressesAsync(name, cancellationToken).ConfigureAwait(false);
            }

            return addresses.Count > 0
                ? new MailHost(SmtpHostSource.ImplicitMx, [], name, null, addresses)
                : throw new ProbeException(ErrorCode.UnknownHost, $"'{name}' has no MX, A or AAAA record ({from})");
        }

        if (records is [{ Host: "" }])
        {
            throw new SmtpPhaseFailure(null, $"{name} publishes a null MX (RFC 7505): it accepts no mail", $"dns: {name} publishes a null MX (RFC 7505): the domain accepts no mail");
        }

        var unresolved = new List<string>();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var addresses = await AddressesAsync(client, record.Host, from, cancellationToken).ConfigureAwait(false);
            if (addresses.Count > 0)
            {
                records[i] = record with { Addresses = [.. addresses.Select(a => a.ToString())] };
                return new MailHost(SmtpHostSource.Mx, records, record.Host, record.Preference, addresses);
            }

            unresolved.Add(record.Host);
        }

        throw new SmtpPhaseFailure(
            null,
            $"no MX host of {name} has an address: {string.Join(", ", unresolved)}",
            $"dns: no MX host of {name} has an A or AAAA record ({string.Join(", ", unresolved)}, asked {from})");
    }

    /// <summary>IPv4 first, then IPv6 (a node without IPv6 routes then fails fastest on the address it can use).</summary>
    private static async Task<IReadOnlyList<IPAddress>> AddressesAsync(ILookupClient client, string host, string from, CancellationToken cancellationToken)
    {
        var a = await QueryAsync(client, host, QueryType.A, from, cancellationToken).ConfigureAwait(false);
        var aaaa = await QueryAsync(client, host, QueryType.AAAA, from, cancellationToken).ConfigureAwait(false);
        foreach (var (response, type) in new[] { (a, QueryType.A), (aaaa, QueryType.AAAA) })
        {
            if (response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
            {
                ThrowOnError(response, host, type, from);
            }
        }

        return [.. a.Answers.ARecords().Select(r => r.Address), .. aaaa.Answers.AaaaRecords().Select(r => r.Address)];
    }

    /// <summary>The node's hosts file and name service switch (getaddrinfo), for names the DNS does not hold.</summary>
    private static async Task<IReadOnlyList<IPAddress>> HostsAddressesAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            return [.. addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)];
        }
        catch (SocketException)
        {
            return [];
        }
    }

    private static async Task<IDnsQueryResponse> QueryAsync(ILookupClient client, string name, QueryType type, string from, CancellationToken cancellationToken)
    {
        try
        {
            // WaitAsync: the probe's phase timeout bounds the query even where the library waits longer.
            return await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            throw new SmtpPhaseFailure(null, $"no answer from {from} to {type} {name}", $"dns: no answer from {from} to {type} {name}");
        }
        catch (DnsResponseException e)
        {
            throw new SmtpPhaseFailure(null, $"{type} {name} failed: {e.DnsError}", $"dns: {type} {name} failed at {from}: {e.DnsError}");
        }
    }

    private static void ThrowOnError(IDnsQueryResponse response, string name, QueryType type, string from)
    {
        if (response.HasError)
        {
            throw new SmtpPhaseFailure(
                null,
                $"{type} {name}: {response.Header.ResponseCode} ({response.ErrorMessage})",
                $"dns: {type} query for {name} failed at {from}: {response.Header.ResponseCode.ToString().ToUpperInvariant()} ({response.ErrorMessage})");
        }
    }
}
