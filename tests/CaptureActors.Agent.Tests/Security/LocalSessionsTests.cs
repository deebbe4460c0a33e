using Akka.Actor;
using CaptureActors.Agent.Security;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Agent.Tests.Security;

/// <summary>A plain agent's sessions: a challenge presented on the local socket by a user the rule admits, nothing else.</summary>
public sealed class LocalSessionsTests
{
    private const string Socket = "/run/capture-actors/agent-4710-1.sock";
    private static readonly ActorPath Console = ActorPath.Parse("akka.tcp://capturectl@127.0.0.1:40001/user/$a");
    private static readonly LocalPeer Root = new(100, 0, 0, [0], "root");
    private static readonly LocalPeer Outsider = new(101, 1001, 1001, [1001], "bob");

    private static ConsoleSessions Sessions() =>
        new("node1", null, RoleMap.Parse([], []), TimeSpan.FromHours(1), 8, local: new LocalAccess(Socket, new LocalAccessRule(0, "capture-actors", 990)));

    [Fact]
    public void The_challenge_names_the_local_socket_and_a_root_peer_gets_an_operator_session_bound_to_its_actor_system()
    {
        var sessions = Sessions();
        var challenge = sessions.Challenge();

        var outcome = sessions.ProveLocal(new LocalProofRequest(challenge.Nonce, Console.ToString()), Root);

        Assert.Equal((true, Socket), (challenge.AuthorizationRequired, challenge.LocalProofSocket));
        Assert.Null(outcome.Refusal);
        Assert.Equal(("root (uid 0)", AgentRole.Operator), (outcome.Granted!.Subject, outcome.Granted.Role));
        Assert.NotNull(sessions.Open(outcome.Granted.Token, Console.Address, out _));
        Assert.Null(sessions.Open(outcome.Granted.Token, Address.Parse("akka.tcp://capturectl@127.0.0.1:40002"), out _));
    }

    [Fact]
    public void A_user_the_rule_refuses_gets_no_session_and_the_refusal_names_the_kernels_uid()
    {
        var sessions = Sessions();

        var outcome = sessions.ProveLocal(new LocalProofRequest(sessions.Challenge().Nonce, Console.ToString()), Outsider);

        Assert.Null(outcome.Granted);
        Assert.Equal("bob (uid 1001)", outcome.Subject);
        Assert.StartsWith("uid 1001 (bob) is not root and not in group capture-actors", outcome.Refusal);
    }

    [Fact]
    public void A_challenge_counts_once_and_only_when_the_agent_issued_it()
    {
        var sessions = Sessions();
        var challenge = sessions.Challenge();
        Assert.NotNull(sessions.ProveLocal(new LocalProofRequest(challenge.Nonce, Console.ToString()), Root).Granted);

        Assert.StartsWith("no open challenge", sessions.ProveLocal(new LocalProofRequest(challenge.Nonce, Console.ToString()), Root).Refusal);
        Assert.StartsWith("no open challenge", sessions.ProveLocal(new LocalProofRequest(new byte[32], Console.ToString()), Root).Refusal);
    }

    [Theory]
    [InlineData("/user/$a")]
    [InlineData("akka://capturectl/user/$a")]
    [InlineData("not a path")]
    public void The_session_actor_must_be_a_remote_actor_path(string path)
    {
        var sessions = Sessions();

        var outcome = sessions.ProveLocal(new LocalProofRequest(sessions.Challenge().Nonce, path), Root);

        Assert.Null(outcome.Granted);
        Assert.Contains("is not the path of a console's session actor", outcome.Refusal);
    }

    [Fact]
    public void A_certificate_proof_is_refused_by_a_plain_agent()
    {
        var sessions = Sessions();

        var outcome = sessions.Prove(new SessionProof(sessions.Challenge().Nonce, [1], [2]), Console);

        Assert.StartsWith("node1 runs without TLS and checks no certificate", outcome.Refusal);
    }
}
