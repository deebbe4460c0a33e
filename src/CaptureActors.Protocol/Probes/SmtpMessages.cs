namespace CaptureActors.Protocol;

/// <summary>
/// <c>diagnostic network smtpping</c>: can this node deliver mail to <see cref="Target"/>? Resolves the mail host
/// (MX, else A/AAAA), connects, reads the banner, says EHLO, optionally upgrades with STARTTLS and tests an envelope
/// (MAIL FROM / RCPT TO, never DATA), then leaves with RSET/QUIT. Streams one <see cref="SmtpPhaseCompleted"/> per
/// phase and ends with <see cref="SmtpPingReport"/>; a failed phase is a verdict in the report, not an error.
/// Checked by <see cref="SmtpPingArguments.Validate"/> on both sides.
/// </summary>
/// <param name="Target">A domain or host name (MX lookup first), or an IP address (no lookup).</param>
/// <param name="Port">The SMTP port, 1..65535 (25 unless given).</param>
/// <param name="MailFrom">Reverse path for MAIL FROM; null: no envelope test unless <see cref="RcptTo"/> is given (then the null sender <c>&lt;&gt;</c>).</param>
/// <param name="RcptTo">Recipient for RCPT TO; null: none.</param>
/// <param name="StartTls">Upgrade with STARTTLS (a server that does not offer it fails the probe).</param>
/// <param name="StrictTls">A certificate that does not validate fails the starttls phase (otherwise it is reported only).</param>
/// <param name="Timeout">The longest any one phase may take (1 s .. 120 s).</param>
/// <param name="DnsServer">The DNS server to ask (<c>IP</c>, <c>IP:PORT</c>, <c>[IPv6]:PORT</c>); null: the node's resolvers.</param>
public sealed record SmtpPing(
    string ProbeId,
    string Target,
    int Port,
    string? MailFrom,
    string? RcptTo,
    bool StartTls,
    bool StrictTls,
    TimeSpan Timeout,
    string? DnsServer) : IProbeCommand;

/// <summary>One phase of an SMTP ping, in the order they run.</summary>
public enum SmtpPhase
{
    Dns,
    Connect,
    Banner,
    Ehlo,
    Starttls,
    /// <summary>EHLO again inside TLS (RFC 3207: the server forgets what it knew before).</summary>
    EhloTls,
    MailFrom,
    RcptTo,
    /// <summary>RSET (after an envelope test) and QUIT.</summary>
    Quit,
}

/// <summary>How the host that was contacted was chosen.</summary>
public enum SmtpHostSource
{
    /// <summary>The target was an IP address.</summary>
    Literal,
    /// <summary>The most preferred MX host of the domain that has an address.</summary>
    Mx,
    /// <summary>The domain has no MX: its own A/AAAA records (RFC 5321 §5.1, the implicit MX).</summary>
    ImplicitMx,
}

/// <param name="Ok">Whether the phase did what it should (e.g. 250 to RCPT TO).</param>
/// <param name="ReplyCode">The server's reply code, when the phase got one.</param>
/// <param name="Detail">What happened, in words: the reply text, the address chosen, or why it failed.</param>
public sealed record SmtpPhaseResult(SmtpPhase Phase, bool Ok, TimeSpan Elapsed, int? ReplyCode, string Detail);

/// <summary>A phase finished (streamed as it happens).</summary>
public sealed record SmtpPhaseCompleted(string ProbeId, SmtpPhaseResult Result) : IProbeEvent;

/// <summary>One MX record of the target domain; <see cref="Addresses"/> only for the host that was resolved.</summary>
public sealed record SmtpMxHost(string Host, int Preference, IReadOnlyList<string> Addresses);

/// <summary>What an EHLO reply offered.</summary>
/// <param name="Extensions">Every line after the greeting line, as sent (e.g. <c>SIZE 10240000</c>, <c>AUTH PLAIN LOGIN</c>).</param>
/// <param name="MaxSize">The SIZE limit in bytes; null when not announced or announced without a number (0 = no limit).</param>
public sealed record SmtpCapabilities(
    string Greeting,
    IReadOnlyList<string> Extensions,
    bool StartTls,
    long? MaxSize,
    bool EightBitMime,
    bool Pipelining,
    bool SmtpUtf8,
    bool EnhancedStatusCodes,
    bool Chunking,
    bool Dsn,
    IReadOnlyList<string> AuthMechanisms);

/// <summary>The TLS session negotiated by STARTTLS and the server's certificate.</summary>
/// <param name="Trusted">Whether the certificate validated (chain to a trusted root, name matches the host, within its dates).</param>
/// <param name="ValidationErrors">Why it did not validate; empty when <see cref="Trusted"/>.</param>
public sealed record SmtpTlsSession(
    string Protocol,
    string CipherSuite,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Thumbprint,
    bool Trusted,
    IReadOnlyList<string> ValidationErrors);

/// <summary>Everything an SMTP ping found, and its verdict.</summary>
/// <param name="MxHosts">The domain's MX records by preference; empty for an IP target or a domain without MX.</param>
/// <param name="Host">The host contacted (MX host, the target itself, or the address); null when DNS failed.</param>
/// <param name="MxPreference">The chosen MX record's preference; null unless <see cref="HostSource"/> is <see cref="SmtpHostSource.Mx"/>.</param>
/// <param name="Address">The address connected to (or last tried); null when DNS failed.</param>
/// <param name="Banner">The greeting's text (after 220); null when none came.</param>
/// <param name="Capabilities">From the first EHLO.</param>
/// <param name="TlsCapabilities">From the EHLO inside TLS.</param>
/// <param name="FailedPhase">The phase that failed; null when <see cref="Succeeded"/>.</param>
/// <param name="Verdict"><c>OK ...</c>, or the failed phase with the server's reply, e.g. <c>rcpt-to refused: 550 5.1.1 ...</c>.</param>
public sealed record SmtpPingReport(
    string ProbeId,
    string Target,
    int Port,
    SmtpHostSource HostSource,
    IReadOnlyList<SmtpMxHost> MxHosts,
    string? Host,
    int? MxPreference,
    string? Address,
    string? Banner,
    SmtpCapabilities? Capabilities,
    SmtpCapabilities? TlsCapabilities,
    SmtpTlsSession? Tls,
    IReadOnlyList<SmtpPhaseResult> Phases,
    bool Succeeded,
    SmtpPhase? FailedPhase,
    string Verdict) : IProbeResult;
