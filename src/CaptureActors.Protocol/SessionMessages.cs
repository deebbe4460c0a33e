namespace CaptureActors.Protocol;

/// <summary>
/// What a console may do on an agent that checks certificates (capture-agent.authorization in agent.hocon). Ordered:
/// a higher role may do everything a lower one may.
/// </summary>
public enum AgentRole
{
    /// <summary>Status, setup and file lists, interfaces, probes that only read or only send test traffic.</summary>
    Viewer,

    /// <summary>Everything: start/stop/setup, download, delete/clear, flush, etherconfig changes.</summary>
    Operator,
}

/// <summary>
/// The first message of a console's session with an agent. Answered by <see cref="SessionChallenge"/>.
/// </summary>
/// <param name="Claimed">Who the console says it is (user, host, process); not proof of anything, shown in logs.</param>
public sealed record OpenSession(CaptureOwner Claimed) : ICaptureProtocol;

/// <summary>
/// The agent's answer to <see cref="OpenSession"/>: a fresh random nonce (single use, valid for
/// <see cref="Security.SessionProofText.ChallengeLifetime"/>) to sign with the console's certificate (an agent with TLS)
/// or to present on the agent's local socket (<paramref name="LocalProofSocket"/>: a plain agent, which serves only the
/// local users the kernel vouches for), or word that this agent checks nothing (an agent embedded in the console's process).
/// </summary>
/// <param name="AuthorizationRequired">False: the agent serves every sender as operator (it is in the sender's own process).</param>
/// <param name="LocalProofSocket">
/// The Unix socket where a console of this host presents <paramref name="Nonce"/> (<see cref="Security.LocalProof"/>);
/// the agent learns the console's user from the kernel (SO_PEERCRED) and answers with the session there. Null: prove a certificate.
/// </param>
public sealed record SessionChallenge(string Node, byte[] Nonce, bool AuthorizationRequired, string? LocalProofSocket = null) : ICaptureProtocol;

/// <summary>
/// The console's proof that it holds the private key of a certificate of the agent's CA: its certificate (DER) and a
/// signature over <see cref="Security.SessionProofText.Build"/> (the nonce, the agent's node name and the path of the console's
/// session actor, which is the sender of this message). Answered by <see cref="SessionGranted"/> or by
/// <see cref="CommandFailed"/> with <see cref="ErrorCode.Forbidden"/> saying why.
/// </summary>
public sealed record SessionProof(byte[] Nonce, byte[] Certificate, byte[] Signature) : ICaptureProtocol;

/// <summary>
/// A session: <see cref="Token"/> (32 random bytes) opens requests sent as <see cref="AuthorizedRequest"/> by actors of the
/// console's actor system until <see cref="ExpiresAt"/> or until the session actor that proved the identity stops.
/// </summary>
public sealed record SessionGranted(string Node, byte[] Token, string Subject, AgentRole Role, DateTimeOffset ExpiresAt) : ICaptureProtocol;

/// <summary>
/// A request under a session: the agent checks <see cref="Token"/> (and that the sender belongs to the actor system that
/// proved it), reads the request (<see cref="Manifest"/> and <see cref="Payload"/>, as our serializer writes them; only
/// requests of the protocol, never another envelope) and checks the role the request needs. The reply goes to the
/// sender, as if the request had been sent plain.
/// </summary>
public sealed record AuthorizedRequest(byte[] Token, string Manifest, byte[] Payload) : ICaptureProtocol;
