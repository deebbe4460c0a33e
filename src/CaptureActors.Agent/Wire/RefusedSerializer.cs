using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace CaptureActors.Agent.Wire;

/// <summary>
/// Takes the place of one of Akka's serializers that build objects from a type name carried on the wire
/// (Newtonsoft JSON, raw protobuf by class name, remote deployment): a remote message in that format is refused
/// before any of its bytes are read, and the agent never sends one (our protocol has its own serializer). Akka's
/// endpoint reader logs the refusal as a warning and keeps the association (<see cref="SafeWireHosting"/>).
/// One subclass per identifier, because Akka builds a serializer named in HOCON from its type alone.
/// </summary>
public abstract class RefusedSerializer(ExtendedActorSystem system, int identifier, string format) : Serializer(system)
{
    public override int Identifier => identifier;

    public override bool IncludeManifest => true;

    public override byte[] ToBinary(object obj) =>
        throw new SerializationException(
            $"capture-agent does not send {obj.GetType()} as {format} (serializer {identifier}): only CaptureActors protocol messages cross the wire");

    public override object FromBinary(byte[] bytes, Type type) =>
        throw new SerializationException(
            $"remote message refused: {format} (serializer {identifier}) is not accepted by capture-agent ({bytes.Length} bytes dropped)");
}

/// <summary>
/// In place of Akka's Newtonsoft JSON serializer, which loads any type named by <c>$type</c>. Akka passes it
/// <c>akka.actor.serialization-settings.json</c>, hence the second constructor.
/// </summary>
public sealed class RefusedJsonSerializer(ExtendedActorSystem system)
    : RefusedSerializer(system, SafeWireHosting.NewtonsoftJsonId, "Newtonsoft JSON with type names")
{
    public RefusedJsonSerializer(ExtendedActorSystem system, Config settings)
        : this(system) => _ = settings;
}

/// <summary>In place of Akka.Remote's protobuf serializer, which picks the message class by a name from the wire.</summary>
public sealed class RefusedProtobufSerializer(ExtendedActorSystem system)
    : RefusedSerializer(system, SafeWireHosting.ProtobufByClassNameId, "protobuf by class name");

/// <summary>In place of Akka.Remote's remote-deployment serializer: no peer deploys actors into the agent.</summary>
public sealed class RefusedDeploymentSerializer(ExtendedActorSystem system)
    : RefusedSerializer(system, SafeWireHosting.DaemonCreateId, "remote deployment");
