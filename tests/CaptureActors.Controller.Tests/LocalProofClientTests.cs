using System.Net.Sockets;
using CaptureActors.Controller.Sessions;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;
using CaptureActors.TestSupport;

namespace CaptureActors.Controller.Tests;

/// <summary>The console's side of a plain agent's local proof: what it sends, and what it says when the socket cannot be reached.</summary>
public sealed class LocalProofClientTests : IDisposable
{
    private readonly TempDirectory _directory = new("ca-local-proof-");

    public void Dispose() => _directory.Dispose();

    private static SessionChallenge Challenge(string socket) => new("node1", new byte[32], true, socket);

    [Fact]
    public async Task A_socket_this_host_does_not_have_is_a_refusal_that_says_to_use_tls_from_elsewhere()
    {
        var path = _directory.File("agent-4710-1.sock");

        var reply = await LocalProofClient.ProveAsync("node1", Challenge(path), "akka.tcp://capturectl@127.0.0.1:40001/user/$a");

        Assert.Null(reply.Granted);
        Assert.Equal(
            $"node 'node1' runs without TLS and serves only consoles of its own host, proven on its local socket {path} (this host has no such socket): " +
            "run capturectl on that host as root or a member of the agent's group, or give the agent TLS (--tls-cert, --tls-key, --tls-ca) to reach it from elsewhere",
            reply.Refusal);
    }

    [Fact]
    public async Task The_nonce_and_session_actor_go_to_the_socket_and_the_agents_answer_comes_back()
    {
        var path = _directory.File("agent-4710-2.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var served = Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync();
            await using var stream = new NetworkStream(connection);
            var request = await LocalProof.ReadAsync<LocalProofRequest>(stream, CancellationToken.None);
            await LocalProof.WriteAsync(stream, new LocalProofReply(null, $"refused {request.SessionActor} {request.Nonce.Length}"), CancellationToken.None);
        });

        var reply = await LocalProofClient.ProveAsync("node1", Challenge(path), "akka.tcp://capturectl@127.0.0.1:40001/user/$a");
        await served;

        Assert.Equal("refused akka.tcp://capturectl@127.0.0.1:40001/user/$a 32", reply.Refusal);
    }
}
