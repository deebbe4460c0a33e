using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace CaptureActors.Agent.Wire;

/// <summary>
/// Takes the place of one of Akka's serializers that build objects from a type name carried on the wire
/// (Newtonsoft JSON, raw protobuf by class name, remote deployment): a remote message in that format is refused
/// before any of its bytes are read, and the agent never sends one (our protocol has its own serializer). Akka's
/// endpoint reader logs the refusal as a warning and keeps the association (<see cref="SafeWireHosting"/>).
/// </summary>
public sealed class RefusedSerializer(ExtendedActorSystem system, int identifier, string format) : Serializer(system)
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
