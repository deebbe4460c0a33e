using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace CaptureActors.Protocol.Serialization;

/// <summary>
/// Writes an <see cref="IActorRef"/> as its serialized actor path (with the address the remote side can reach it at) and
/// reads it back through the receiving system's provider, as Akka's own serializers do.
/// </summary>
internal sealed class ActorRefJsonConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
{
    public override IActorRef? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"an actor reference must be a path string, not {reader.TokenType}");
        }

        var path = reader.GetString();
        return string.IsNullOrEmpty(path) ? ActorRefs.NoSender : system.Provider.ResolveActorRef(path);
    }

    public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
        writer.WriteStringValue(AkkaSerialization.SerializedActorPath(value));
}
