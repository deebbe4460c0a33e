using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using CaptureActors.Protocol.Serialization;
using CaptureActors.Protocol.Tests.Serialization;
using Xunit.Abstractions;

namespace CaptureActors.Protocol.Tests.Remote;

/// <summary>Two real nodes on loopback talking through <see cref="ProtocolSerializer"/>.</summary>
public sealed class RemoteWireTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private RemoteNode? _console;
    private RemoteNode? _agent;

    private RemoteNode Console => _console ?? throw new InvalidOperationException("not started");

    private RemoteNode Agent => _agent ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _console = await RemoteNode.StartAsync("wire-console");
        _agent = await RemoteNode.StartAsync("wire-agent");
        _agent.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_console is not null)
            {
                await _console.DisposeAsync();
            }
        }
        finally
        {
            if (_agent is not null)
            {
                await _agent.DisposeAsync();
            }
        }
    }

    private (IActorRef Actor, ChannelReader<object> Messages) Inbox(RemoteNode node)
    {
        var channel = Channel.CreateUnbounded<object>();
        return (node.System.ActorOf(Props.Create(() => new InboxActor(channel.Writer))), channel.Reader);
    }

    [Fact]
    public void Hosting_binds_every_protocol_type_to_our_serializer()
    {
        foreach (var type in ProtocolSerializer.AllowedTypes.Values)
        {
            var serializer = Agent.System.Serialization.FindSerializerForType(type);
            Assert.IsType<ProtocolSerializer>(serializer);
            Assert.Equal(4711, serializer.Identifier);
        }
    }

    [Fact]
    public async Task Start_capture_carries_the_senders_session_and_the_remote_side_can_tell_it()
    {
        var echo = await Console.ResolveAsync(Agent, "echo");
        var (session, sessionMessages) = Inbox(Console);
        var start = new StartCapture(new CaptureOptions(["eth0"], "udp"), new CaptureOwner("alice", "ops-7", 4242, "capturectl"), false, session, "c-42");

        var reply = await echo.Ask<StartCapture>(start, Timeout);
        var started = await sessionMessages.ReadAsync().AsTask().WaitAsync(Timeout);

        Assert.Equal(Structure.Of(start), Structure.Of(reply));
        Assert.Equal(session, reply.OwnerSession);
        var status = Assert.IsType<CaptureStarted>(started).Status;
        Assert.Equal(("c-42", CaptureState.Running, start.Owner), (status.CaptureId, status.State, status.Owner));
    }

    [Fact]
    public async Task Every_protocol_message_crosses_the_wire_by_value()
    {
        var echo = await Console.ResolveAsync(Agent, "echo");
        var (session, _) = Inbox(Console);

        foreach (var message in ProtocolSamples.All(session).Where(m => m is not StartCapture))
        {
            var reply = await echo.Ask<object>(message, Timeout);
            Assert.Equal(Structure.Of(message), Structure.Of(reply));
        }
    }

    [Fact]
    public async Task A_64_KiB_chunk_fits_the_frame_and_an_oversized_one_is_dropped_without_losing_the_association()
    {
        var echo = await Console.ResolveAsync(Agent, "echo");
        var (inbox, replies) = Inbox(Console);

        echo.Tell(new FileChunk("big.pcap", 0, ProtocolSamples.Payload(200 * 1024), 1 << 20, false), inbox);
        var dropped = await Console.Log.FirstAsync(line => line.Contains("oversized", StringComparison.OrdinalIgnoreCase), Timeout);
        output.WriteLine($"sender logged: {dropped}");

        var chunk = new FileChunk("big.pcap", 0, ProtocolSamples.Payload(ReadFileChunk.MaxChunkBytes), 1 << 20, false);
        var reply = await echo.Ask<FileChunk>(chunk, Timeout);

        Assert.Equal(Structure.Of(chunk), Structure.Of(reply));
        Assert.False(replies.TryRead(out var unexpected), $"the oversized chunk arrived after all: {unexpected}");
    }

    [Fact]
    public async Task An_unknown_manifest_is_dropped_by_the_receiver_and_the_association_stays_up()
    {
        await using var impostorNode = await RemoteNode.StartAsync(
            "wire-impostor",
            akka => akka.WithCustomSerializer(ProtocolSerializationHosting.SerializerName, [typeof(ICaptureProtocol), typeof(Impostor)], system => new ImpostorSerializer(system)));
        var echo = await impostorNode.ResolveAsync(Agent, "echo");
        var (inbox, replies) = Inbox(impostorNode);

        echo.Tell(new Impostor("System.Diagnostics.Process, System", """{"StartInfo":{"FileName":"/bin/sh"}}"""), inbox);
        var logged = await Agent.Log.FirstAsync(line => line.Contains("System.Diagnostics.Process", StringComparison.Ordinal), Timeout);
        output.WriteLine($"receiver logged: {logged}");

        var reply = await echo.Ask<object>(GetCaptureStatus.Instance, Timeout);

        Assert.Same(GetCaptureStatus.Instance, reply);
        Assert.Contains("Unknown CaptureActors protocol manifest", logged, StringComparison.Ordinal);
        Assert.False(replies.TryRead(out var unexpected), $"the forged message was delivered: {unexpected}");
    }
}
