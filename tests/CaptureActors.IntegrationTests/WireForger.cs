using Akka.Actor;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Serialization;
using CaptureActors.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// A hostile peer: an actor system with Akka.Remote on 127.0.0.1 that puts arbitrary bytes on the wire under a chosen
/// serializer identifier and manifest (our protocol's 4711, Akka's Newtonsoft JSON 1, protobuf-by-class-name 2), sends
/// Akka's own PoisonPill/Kill, and selects any path. It has no ProtocolSerializer: it never reads the agent's answers,
/// a <see cref="CaptureActors.TestSupport.RemoteAgentClient"/> checks the agent instead.
/// </summary>
public sealed class WireForger : IDisposable
{
    private readonly IHost _host;

    /// <param name="maximumFrameSize">Larger than the agent's 128000 b to send frames the agent must refuse.</param>
    public WireForger(long maximumFrameSize = 128_000)
    {
        _host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("wire-forger", akka => akka
                .WithRemoting(new RemoteOptions { HostName = "127.0.0.1", Port = 0, MaxFrameSize = maximumFrameSize })
                .WithCustomSerializer("forged-protocol", [typeof(ForgedProtocolMessage)], system => new ForgingSerializer(system, 4711))
                .WithCustomSerializer("forged-newtonsoft", [typeof(ForgedNewtonsoftMessage)], system => new ForgingSerializer(system, 1))
                .WithCustomSerializer("forged-protobuf", [typeof(ForgedProtobufMessage)], system => new ForgingSerializer(system, 2))))
            .Build();
        _host.StartAsync().GetAwaiter().GetResult();
        System = _host.Services.GetRequiredService<ActorSystem>();
    }

    public ActorSystem System { get; }

    /// <summary>The agent guardian by a trusted selection (Identify), then messages go straight to the reference.</summary>
    public Task<IActorRef> ResolveAgentAsync(int port) =>
        System.ActorSelection(AgentAddress.Path("127.0.0.1", port)).ResolveOne(TimeSpan.FromSeconds(10));

    /// <summary>An ActorSelection of <paramref name="path"/> (e.g. <c>/system/endpointManager</c>) on the agent.</summary>
    public ActorSelection Select(int port, string path) =>
        System.ActorSelection($"akka.tcp://{AgentAddress.SystemName}@127.0.0.1:{port}{path}");

    public void Dispose()
    {
        _host.StopAsync().Wait(TimeSpan.FromSeconds(20));
        _host.Dispose();
    }
}

/// <summary>Bytes and manifest put on the wire as they are; the subtype picks the serializer identifier.</summary>
public abstract record ForgedMessage(string Manifest, byte[] Bytes)
{
    public override string ToString() => $"{GetType().Name}('{Manifest}', {Bytes.Length} bytes)";
}

/// <summary>Under our protocol's identifier 4711.</summary>
public sealed record ForgedProtocolMessage(string Manifest, byte[] Bytes) : ForgedMessage(Manifest, Bytes);

/// <summary>Under Akka's Newtonsoft JSON identifier 1 (manifest = a .NET type name).</summary>
public sealed record ForgedNewtonsoftMessage(string Manifest, byte[] Bytes) : ForgedMessage(Manifest, Bytes);

/// <summary>Under Akka.Remote's protobuf-by-class-name identifier 2.</summary>
public sealed record ForgedProtobufMessage(string Manifest, byte[] Bytes) : ForgedMessage(Manifest, Bytes);

/// <summary>Writes a <see cref="ForgedMessage"/> verbatim under a fixed identifier; never reads anything.</summary>
public sealed class ForgingSerializer(ExtendedActorSystem system, int identifier) : SerializerWithStringManifest(system)
{
    public override int Identifier => identifier;

    public override string Manifest(object o) => ((ForgedMessage)o).Manifest;

    public override byte[] ToBinary(object obj) => ((ForgedMessage)obj).Bytes;

    public override object FromBinary(byte[] bytes, string manifest) =>
        throw new NotSupportedException("the forger only writes");
}
