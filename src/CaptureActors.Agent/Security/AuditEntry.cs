namespace CaptureActors.Agent.Security;

/// <summary>
/// One line of the audit log (docs/authorization.md): when (UTC), on which node, who (certificate subject, or the console's
/// unproven claim), from where (the requester's Akka address), what (the command and its key arguments) and the result.
/// </summary>
/// <param name="Authenticated">True when <paramref name="Who"/> is a certificate subject proven to this agent.</param>
/// <param name="What">The capturectl command, e.g. <c>packetcapture start</c>; <c>session</c> for the handshake.</param>
/// <param name="Request">The protocol message, e.g. <c>StartCapture</c>.</param>
/// <param name="Result"><c>ok</c>, <c>refused</c> (authorization), <c>error</c> (the command failed, see
/// <paramref name="Code"/>) or <c>no-reply</c>.</param>
public sealed record AuditEntry(
    DateTime Time,
    string Node,
    string Who,
    bool Authenticated,
    string? Role,
    string? From,
    string What,
    string Request,
    IReadOnlyDictionary<string, object?>? Arguments,
    string Result,
    string? Code = null,
    string? Reason = null,
    IReadOnlyDictionary<string, object?>? Outcome = null);
