using System.Collections.Frozen;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Remote.Serialization;
using Akka.Serialization;

namespace CaptureActors.Agent.Wire;

/// <summary>
/// Akka's serializer of its own small messages (identifier 16) with an inbound allow-list by manifest, checked before
/// any bytes are read: Identify and ActorIdentity (how consoles resolve <c>/user/agent</c>), actor references, and the
/// remote-watch heartbeats that keep DeathWatch working. Everything else a peer could send in this format is refused:
/// PoisonPill and Kill (a remote peer must not stop agent actors), Status.Failure (its exception is rebuilt from a type
/// name on the wire), deployment scopes and router configurations. The agent's own outbound messages are unchanged.
/// </summary>
public sealed class MiscMessageGuardSerializer : SerializerWithStringManifest
{
    private const string HeartbeatManifest = "RWHB";
    private const string HeartbeatResponseManifest = "RWHR";

    /// <summary>Manifests of <see cref="MiscMessageSerializer"/> accepted from the wire (Akka.Remote 1.5).</summary>
    private static readonly FrozenSet<string> Accepted = FrozenSet.Create(
        StringComparer.Ordinal, "ID", "AID", "AR", HeartbeatManifest, HeartbeatResponseManifest);

    private readonly MiscMessageSerializer _inner;

    public MiscMessageGuardSerializer(ExtendedActorSystem system)
        : base(system) => _inner = new MiscMessageSerializer(system);

    public override int Identifier => SafeWireHosting.MiscMessageId;

    /// <summary>True for a remote-watch heartbeat or its response in this serializer's format.</summary>
    public static bool IsHeartbeat(int serializerId, string manifest) =>
        serializerId == SafeWireHosting.MiscMessageId && manifest is HeartbeatManifest or HeartbeatResponseManifest;

    public override string Manifest(object o) => _inner.Manifest(o);

    public override byte[] ToBinary(object obj) => _inner.ToBinary(obj);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Accepted.Contains(manifest)
            ? _inner.FromBinary(bytes, manifest)
            : throw new SerializationException(
                $"remote message refused: Akka message '{SelectionGuardSerializer.Printable(manifest)}' (serializer {Identifier}) is not accepted by capture-agent; " +
                "only Identify, ActorIdentity, actor references and remote-watch heartbeats are (no PoisonPill, Kill, Status.Failure or deployment)");
}
