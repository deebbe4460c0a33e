using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Agent.Security;

/// <summary>A console's proven identity on this agent: who, which role, until when, and the actor that proved it.</summary>
public sealed record ConsoleSession(string Subject, AgentRole Role, DateTimeOffset ExpiresAt, ActorPath Actor);

/// <summary>The answer to a <see cref="SessionProof"/>: a session, or why not (<paramref name="Subject"/> when a certificate was read).</summary>
public sealed record ProofOutcome(ConsoleSession? Session, SessionGranted? Granted, string? Refusal, string? Subject);

/// <summary>Where and by which rule a plain agent admits consoles of its own host (docs/authorization.md, "Local consoles").</summary>
/// <param name="Socket">The Unix socket consoles present their challenge on (<see cref="LocalProofListener"/>).</param>
public sealed record LocalAccess(string Socket, LocalAccessRule Rule);

/// <summary>
/// The agent's side of the session handshake (docs/authorization.md): issues single-use challenges, checks proofs and
/// keeps the tokens it granted. With TLS (<paramref name="trust"/>): a certificate of this agent's CA, a signature by its
/// key over nonce, node and session actor path, a role for its subject. Without (<paramref name="local"/>): the challenge
/// presented on the agent's local socket by a user the kernel names and <see cref="LocalAccessRule"/> admits (operator).
/// Not thread-safe: owned by the agent guardian.
/// </summary>
public sealed class ConsoleSessions(
    string node, TlsCredentials? trust, RoleMap roles, TimeSpan lifetime, int maxSessions, TimeProvider? clock = null, LocalAccess? local = null)
{
    /// <summary>Challenges waiting for a proof; more evict the oldest.</summary>
    public const int MaxChallenges = 256;

    /// <summary>A certificate larger than this is refused before it is parsed.</summary>
    public const int MaxCertificateBytes = 16 * 1024;

    private const int MaxSignatureBytes = 1024;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<string, DateTimeOffset> _challenges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public SessionChallenge Challenge()
    {
        var now = _clock.GetUtcNow();
        foreach (var stale in _challenges.Where(c => c.Value <= now).Select(c => c.Key).ToList())
        {
            _challenges.Remove(stale);
        }

        if (_challenges.Count >= MaxChallenges)
        {
            _challenges.Remove(_challenges.MinBy(c => c.Value).Key);
        }

        var nonce = RandomNumberGenerator.GetBytes(SessionProofText.RandomBytes);
        _challenges[Convert.ToHexString(nonce)] = now + SessionProofText.ChallengeLifetime;
        return new SessionChallenge(node, nonce, AuthorizationRequired: true, local?.Socket);
    }

    /// <summary>A challenge presented on the local socket by <paramref name="peer"/> (the kernel's word for who connected).</summary>
    public ProofOutcome ProveLocal(LocalProofRequest request, LocalPeer peer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(peer);
        if (local is null)
        {
            return Refused($"{node} checks certificates: prove one with --tls-cert, --tls-key and --tls-ca", peer.Who);
        }

        if (!TakeChallenge(request.Nonce, _clock.GetUtcNow()))
        {
            return Refused(NoChallenge, peer.Who);
        }

        if (local.Rule.Refusal(peer) is { } refusal)
        {
            return Refused(refusal, peer.Who);
        }

        if (request.SessionActor.Length > MaxActorPathLength || !ActorPath.TryParse(request.SessionActor, out var actor) || actor.Address.Host is null)
        {
            return Refused($"{TextBounds.Quote(request.SessionActor)} is not the path of a console's session actor (akka.tcp://SYSTEM@HOST:PORT/...)", peer.Who);
        }

        return Grant(peer.Who, AgentRole.Operator, actor);
    }

    /// <param name="sessionActor">The sender of the proof: the session actor whose path the console signed.</param>
    public ProofOutcome Prove(SessionProof proof, ActorPath sessionActor)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(sessionActor);
        if (trust is null)
        {
            return Refused($"{node} runs without TLS and checks no certificate: it admits consoles of its own host by their user, proven on its local socket", null);
        }

        if (!TakeChallenge(proof.Nonce, _clock.GetUtcNow()))
        {
            return Refused(NoChallenge, null);
        }

        if (proof.Certificate.Length is 0 or > MaxCertificateBytes || proof.Signature.Length is 0 or > MaxSignatureBytes)
        {
            return Refused($"the proof's certificate ({proof.Certificate.Length} bytes, at most {MaxCertificateBytes}) or signature ({proof.Signature.Length} bytes, at most {MaxSignatureBytes}) is empty or too large", null);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(proof.Certificate);
        }
        catch (CryptographicException e)
        {
            return Refused($"the proof's certificate is not a DER X.509 certificate ({e.Message})", null);
        }

        using (certificate)
        {
            var subject = certificate.Subject;
            // The same rule as the TLS handshake: our CA, a leaf, issued for clientAuth (an agent's certificate is no console's).
            if (!trust.Admits(certificate, CertificatePurpose.ClientAuth, out var problem))
            {
                return Refused($"certificate {subject} is not trusted by {node}: it {problem}", subject);
            }

            var text = SessionProofText.Build(proof.Nonce, node, sessionActor.ToString());
            if (!SessionProofText.Verify(certificate, text, proof.Signature, out problem))
            {
                return Refused($"the proof of {subject} does not hold: {problem}", subject);
            }

            if (roles.RoleOf(certificate.SubjectName) is not { } role)
            {
                return Refused($"{subject} has no role on {node} (capture-agent.authorization lists it neither as operator nor as viewer)", subject);
            }

            return Grant(subject, role, sessionActor);
        }
    }

    private const int MaxActorPathLength = 1024;

    private static readonly string NoChallenge =
        $"no open challenge matches this proof (a challenge is good for one proof within {SessionProofText.ChallengeLifetime.TotalSeconds:0} s)";

    private static ProofOutcome Refused(string why, string? subject) => new(null, null, why, subject);

    /// <summary>Removes the challenge of <paramref name="nonce"/>: true when it was open and not expired.</summary>
    private bool TakeChallenge(byte[] nonce, DateTimeOffset now) =>
        nonce.Length == SessionProofText.RandomBytes && _challenges.Remove(Convert.ToHexString(nonce), out var expires) && expires > now;

    private ProofOutcome Grant(string subject, AgentRole role, ActorPath sessionActor)
    {
        var now = _clock.GetUtcNow();
        Expire(now);
        if (_sessions.Count >= maxSessions)
        {
            return Refused($"{node} already holds {maxSessions} console sessions (capture-agent.authorization.max-sessions)", subject);
        }

        // A session actor renewing its proof keeps its newest earlier token until it expires (requests in flight).
        foreach (var older in _sessions.Where(s => s.Value.Actor == sessionActor).OrderByDescending(s => s.Value.ExpiresAt).Skip(1).Select(s => s.Key).ToList())
        {
            _sessions.Remove(older);
        }

        var token = RandomNumberGenerator.GetBytes(SessionProofText.RandomBytes);
        var session = new ConsoleSession(subject, role, now + lifetime, sessionActor);
        _sessions[Convert.ToHexString(token)] = session;
        return new ProofOutcome(session, new SessionGranted(node, token, subject, role, session.ExpiresAt), null, subject);
    }

    /// <summary>The session of <paramref name="token"/> when it is live and <paramref name="sender"/> belongs to the actor system that proved it.</summary>
    public ConsoleSession? Open(byte[] token, Address sender, out string problem)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(sender);
        var key = Convert.ToHexString(token);
        if (token.Length != SessionProofText.RandomBytes || !_sessions.TryGetValue(key, out var session))
        {
            problem = "unknown session token (the session ended, or this agent restarted): connect again";
            return null;
        }

        if (session.ExpiresAt <= _clock.GetUtcNow())
        {
            _sessions.Remove(key);
            problem = "the session expired: connect again";
            return null;
        }

        if (session.Actor.Address != sender)
        {
            problem = $"the session token was granted to {session.Actor.Address}, not to {sender}";
            return null;
        }

        problem = "";
        return session;
    }

    /// <summary>The session actor stopped (the console exited or its node was lost): its tokens end.</summary>
    public void Ended(ActorPath sessionActor)
    {
        foreach (var key in _sessions.Where(s => s.Value.Actor == sessionActor).Select(s => s.Key).ToList())
        {
            _sessions.Remove(key);
        }
    }

    private void Expire(DateTimeOffset now)
    {
        foreach (var key in _sessions.Where(s => s.Value.ExpiresAt <= now).Select(s => s.Key).ToList())
        {
            _sessions.Remove(key);
        }
    }
}
