using System.Globalization;
using System.Net;
using System.Net.Mail;

namespace CaptureActors.Protocol;

/// <summary>
/// The forms and ranges of <see cref="SmtpPing"/>'s arguments, checked by the console (exit 2) and again by the agent
/// (a remote request is never trusted), with messages that say what was wrong and what is allowed.
/// </summary>
public static class SmtpPingArguments
{
    public const int DefaultPort = 25;
    public const int DefaultDnsPort = 53;
    public const string TargetForm = "HOST|DOMAIN|IP[:PORT] (IPv6 as [::1]:PORT), port 1..65535";
    public const string DnsServerForm = "IP[:PORT] (IPv6 as [::1]:PORT), port 1..65535";
    public const string MailboxForm = "a bare address local@domain, e.g. probe@example.com (no display name, no <>)";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Splits <c>HOST[:PORT]</c>, <c>IP[:PORT]</c>, <c>[IPv6]:PORT</c> or a bare IPv6 address. <paramref name="port"/> is
    /// null when none was given.
    /// </summary>
    public static bool TryParseTarget(string? text, out string host, out int? port, out string error)
    {
        host = "";
        port = null;
        error = "";
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = $"no target given: expected {TargetForm}";
            return false;
        }

        string hostPart;
        string? portPart = null;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(trimmed[1..close], out _))
            {
                error = $"'{trimmed}' is not a bracketed IP address: expected {TargetForm}";
                return false;
            }

            hostPart = trimmed[1..close];
            var rest = trimmed[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    error = $"unexpected '{rest}' after '{trimmed[..(close + 1)]}': expected {TargetForm}";
                    return false;
                }

                portPart = rest[1..];
            }
        }
        else if (trimmed.Count(c => c == ':') > 1)
        {
            // A bare IPv6 address: no port possible without brackets.
            hostPart = trimmed;
        }
        else
        {
            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            hostPart = colon < 0 ? trimmed : trimmed[..colon];
            portPart = colon < 0 ? null : trimmed[(colon + 1)..];
        }

        if (portPart is not null)
        {
            if (!TryParsePort(portPart, out var parsed))
            {
                error = $"port '{portPart}' in '{trimmed}' is not a number in 1..65535";
                return false;
            }

            port = parsed;
        }

        if (!IsHostOrAddress(hostPart))
        {
            error = $"'{hostPart}' is neither a host name nor an IP address: expected {TargetForm}";
            return false;
        }

        host = hostPart;
        return true;
    }

    /// <summary>Parses <c>IP[:PORT]</c> or <c>[IPv6]:PORT</c>; port 53 when none is given.</summary>
    public static bool TryParseDnsServer(string? text, out IPEndPoint endpoint, out string error)
    {
        endpoint = new IPEndPoint(IPAddress.None, DefaultDnsPort);
        error = "";
        var trimmed = text?.Trim() ?? "";
        if (IPAddress.TryParse(trimmed, out var bare) && !trimmed.StartsWith('[') && (trimmed.Count(c => c == ':') != 1))
        {
            endpoint = new IPEndPoint(bare, DefaultDnsPort);
            return true;
        }

        if (IPEndPoint.TryParse(trimmed, out var parsed) && parsed.Port is > 0 and <= 65535 && HasExplicitPort(trimmed))
        {
            endpoint = parsed;
            return true;
        }

        if (trimmed.StartsWith('[') && trimmed.EndsWith(']') && IPAddress.TryParse(trimmed[1..^1], out var bracketed))
        {
            endpoint = new IPEndPoint(bracketed, DefaultDnsPort);
            return true;
        }

        error = $"DNS server '{trimmed}' is not an IP address with an optional port: expected {DnsServerForm}";
        return false;
    }

    /// <summary>A bare mailbox <c>local@domain</c> that can go between &lt; and &gt; in MAIL FROM / RCPT TO.</summary>
    public static bool IsValidMailbox(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > 254 || address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>'))
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        return at > 0
            && at <= 64
            && at < address.Length - 1
            && MailAddress.TryCreate(address, out var parsed)
            && string.Equals(parsed.Address, address, StringComparison.Ordinal)
            && string.IsNullOrEmpty(parsed.DisplayName)
            && IsHostOrAddress(address[(at + 1)..].Trim('[', ']'));
    }

    /// <summary>Every problem with <paramref name="ping"/>, each naming the bad value and the allowed form; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(SmtpPing ping)
    {
        var errors = new List<string>();
        if (!TryParseTarget(ping.Target, out _, out var port, out var targetError))
        {
            errors.Add(targetError);
        }
        else if (port is not null)
        {
            errors.Add($"target '{ping.Target}' must not carry a port in a request: the port goes in its own field");
        }

        if (ping.Port is < 1 or > 65535)
        {
            errors.Add($"port {ping.Port.ToString(CultureInfo.InvariantCulture)} is out of range 1..65535");
        }

        if (ping.MailFrom is not null && !IsValidMailbox(ping.MailFrom))
        {
            errors.Add($"--from '{ping.MailFrom}' is not a valid address: expected {MailboxForm}");
        }

        if (ping.RcptTo is not null && !IsValidMailbox(ping.RcptTo))
        {
            errors.Add($"--to '{ping.RcptTo}' is not a valid address: expected {MailboxForm}");
        }

        if (ping.Timeout < MinTimeout || ping.Timeout > MaxTimeout)
        {
            errors.Add($"--timeout {DurationText.Format(ping.Timeout)} is out of range: allowed {DurationText.Format(MinTimeout)} to {DurationText.Format(MaxTimeout)}");
        }

        if (ping.StrictTls && !ping.StartTls)
        {
            errors.Add("--strict-tls needs --starttls");
        }

        if (ping.DnsServer is not null && !TryParseDnsServer(ping.DnsServer, out _, out var dnsError))
        {
            errors.Add(dnsError);
        }

        return errors;
    }

    /// <summary>The longest a ping may run: every phase at its timeout, and a margin.</summary>
    public static TimeSpan Ceiling(SmtpPing ping) =>
        (ping.Timeout < MinTimeout || ping.Timeout > MaxTimeout ? MaxTimeout : ping.Timeout) * (Enum.GetValues<SmtpPhase>().Length + 1)
        + TimeSpan.FromSeconds(5);

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    private static bool HasExplicitPort(string text) =>
        text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;

    private static bool IsHostOrAddress(string host) =>
        IPAddress.TryParse(host, out _)
        || (host.Length <= 253
            && Uri.CheckHostName(host.TrimEnd('.')) == UriHostNameType.Dns
            && host.TrimEnd('.').Split('.').All(label => label.Length is > 0 and <= 63));
}
