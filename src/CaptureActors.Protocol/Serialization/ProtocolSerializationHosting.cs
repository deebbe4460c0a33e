using Akka.Hosting;

namespace CaptureActors.Protocol.Serialization;

/// <summary>Akka.Hosting set-up of the wire format: every <see cref="ICaptureProtocol"/> message goes through <see cref="ProtocolSerializer"/>.</summary>
public static class ProtocolSerializationHosting
{
    /// <summary>The name of the serializer in Akka's configuration (<c>akka.actor.serializers.capture-protocol</c>).</summary>
    public const string SerializerName = "capture-protocol";

    /// <summary>
    /// Binds <see cref="ICaptureProtocol"/> to <see cref="ProtocolSerializer"/>. Call it on every system that talks to a node
    /// (agents and consoles alike): both ends must know identifier <see cref="ProtocolSerializer.SerializerIdentifier"/>.
    /// </summary>
    public static AkkaConfigurationBuilder AddCaptureProtocolSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(SerializerName, [typeof(ICaptureProtocol)], system => new ProtocolSerializer(system));
}
