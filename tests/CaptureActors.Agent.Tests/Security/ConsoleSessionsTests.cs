using Akka.Actor;
using CaptureActors.Agent.Security;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Agent.Tests.Security;

/// <summary>The agent's side of the handshake without actors: what a proof must hold, and what a token is bound to.</summary>
public sealed class ConsoleSessionsTests(SessionCertificates certificates) : IClassFixture<SessionCertificates>, IDisposable
{
    private static readonly ActorPath Console = ActorPath.Parse("akka.tcp://capturectl@127.0.0.1:40001/user/$a");
    private readonly TlsCredentials _agent = certificates.Agent.Load();

    public void Dispose() => _agent.Dispose();

    private ConsoleSessions Sessions(TimeProvider? clock = null) =>
        new("node1", _agent, RoleMap.Parse(["CN=console"], ["CN=viewer"]), TimeSpan.FromHours(1), 8, clock);

    [Fact]
    public void A_certificate_of_the_ca_signed_with_its_own_key_gets_a_session_with_its_role()
    {
        var sessions = Sessions();
        var challenge = sessions.Challenge();

        var outcome = sessions.Prove(SessionCertificates.Proof(challenge, certificates.Viewer, Console.ToString()), Console);

        Assert.Null(outcome.Refusal);
        Assert.Equal("CN=viewer, O=CaptureActors dev", outcome.Granted!.Subject);
        Assert.Equal(AgentRole.Viewer, outcome.Granted.Role);
        Assert.Equal(32, outcome.Granted.Token.Length);
        Assert.True(challenge.AuthorizationRequired);
        Assert.NotNull(sessions.Open(outcome.Granted.Token, Console.Address, out _));
    }

    [Fact]
    public void A_certificate_of_another_ca_is_not_trusted()
    {
        var sessions = Sessions();

        var outcome = sessions.Prove(SessionCertificates.Proof(sessions.Challenge(), certificates.OtherCaConsole, Console.ToString()), Console);

        Assert.Null(outcome.Granted);
        Assert.StartsWith("certificate CN=console, O=CaptureActors dev is not trusted by node1: ", outcome.Refusal);
    }

    [Fact]
    public void A_certificate_of_the_ca_signed_with_another_key_is_refused()
    {
        var sessions = Sessions();

        var forged = SessionCertificates.Proof(sessions.Challenge(), certificates.Console, Console.ToString(), key: certificates.Viewer);
        var outcome = sessions.Prove(forged, Console);

        Assert.Null(outcome.Granted);
        Assert.StartsWith("the proof of CN=console, O=CaptureActors dev does not hold: the signature does not verify", outcome.Refusal);
    }

    [Fact]
    public void A_replayed_proof_is_refused()
    {
        var sessions = Sessions();
        var proof = SessionCertificates.Proof(sessions.Challenge(), certificates.Console, Console.ToString());
        Assert.NotNull(sessions.Prove(proof, Console).Granted);

        var replay = sessions.Prove(proof, Console);

        Assert.Null(replay.Granted);
        Assert.StartsWith("no open challenge matches this proof", replay.Refusal);
    }

    [Fact]
    public void A_proof_delivered_by_another_actor_than_the_one_it_names_is_refused()
    {
        var sessions = Sessions();
        var proof = SessionCertificates.Proof(sessions.Challenge(), certificates.Console, Console.ToString());

        var outcome = sessions.Prove(proof, ActorPath.Parse("akka.tcp://capturectl@10.9.9.9:40001/user/$a"));

        Assert.Null(outcome.Granted);
        Assert.Contains("does not hold", outcome.Refusal);
    }

    [Fact]
    public void A_proof_for_another_node_is_refused()
    {
        var sessions = Sessions();
        var challenge = sessions.Challenge() with { Node = "node2" };

        var outcome = sessions.Prove(SessionCertificates.Proof(challenge, certificates.Console, Console.ToString()), Console);

        Assert.Contains("does not hold", outcome.Refusal);
    }

    [Fact]
    public void A_subject_without_a_role_is_refused_by_name()
    {
        var sessions = Sessions();

        var outcome = sessions.Prove(SessionCertificates.Proof(sessions.Challenge(), certificates.Stranger, Console.ToString()), Console);

        Assert.Equal("CN=stranger, O=CaptureActors dev has no role on node1 (capture-agent.authorization lists it neither as operator nor as viewer)", outcome.Refusal);
    }

    [Fact]
    public void A_challenge_expires_and_garbage_is_refused_without_parsing_much()
    {
        var clock = new ManualClock();
        var sessions = Sessions(clock);
        var late = SessionCertificates.Proof(sessions.Challenge(), certificates.Console, Console.ToString());
        clock.Advance(SessionProofText.ChallengeLifetime + TimeSpan.FromSeconds(1));
        Assert.StartsWith("no open challenge", sessions.Prove(late, Console).Refusal);

        var challenge = sessions.Challenge();
        Assert.StartsWith("the proof's certificate is not a DER", sessions.Prove(new SessionProof(challenge.Nonce, [1, 2, 3], [4]), Console).Refusal);
        challenge = sessions.Challenge();
        Assert.Contains("too large", sessions.Prove(new SessionProof(challenge.Nonce, new byte[100_000], [4]), Console).Refusal);
    }

    [Fact]
    public void A_token_works_only_from_the_actor_system_that_proved_it_until_it_expires_or_its_session_actor_stops()
    {
        var clock = new ManualClock();
        var sessions = Sessions(clock);
        var token = sessions.Prove(SessionCertificates.Proof(sessions.Challenge(), certificates.Console, Console.ToString()), Console).Granted!.Token;

        Assert.NotNull(sessions.Open(token, Console.Address, out _));
        Assert.Null(sessions.Open(token, Address.Parse("akka.tcp://capturectl@127.0.0.1:40002"), out var stolen));
        Assert.Contains("was granted to akka.tcp://capturectl@127.0.0.1:40001", stolen);
        Assert.Null(sessions.Open(new byte[32], Console.Address, out var unknown));
        Assert.StartsWith("unknown session token", unknown);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(sessions.Open(token, Console.Address, out var expired));
        Assert.Equal("the session expired: connect again", expired);

        var second = sessions.Prove(SessionCertificates.Proof(sessions.Challenge(), certificates.Console, Console.ToString()), Console).Granted!.Token;
        sessions.Ended(Console);
        Assert.Null(sessions.Open(second, Console.Address, out _));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
