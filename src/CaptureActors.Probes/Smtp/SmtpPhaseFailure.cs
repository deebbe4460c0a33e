namespace CaptureActors.Probes.Smtp;

/// <summary>A phase of an SMTP ping that failed: the server's reply code if any, the detail and the verdict line.</summary>
/// <param name="Detail">For the phase's own line (e.g. <c>550 5.1.1 ... rejected</c>).</param>
/// <param name="Verdict">The report's verdict (e.g. <c>rcpt-to refused: 550 5.1.1 ... rejected</c>).</param>
public sealed class SmtpPhaseFailure(int? replyCode, string detail, string verdict, Exception? inner = null) : Exception(verdict, inner)
{
    public int? ReplyCode { get; } = replyCode;

    public string Detail { get; } = detail;

    public string Verdict { get; } = verdict;

    /// <summary>
    /// Whether the session can still be closed politely (the server answered, only not as hoped); false after a
    /// timeout, a closed connection or a broken TLS handshake.
    /// </summary>
    public bool SessionUsable { get; init; }
}
