using System.Text;
using Akka.Actor;
using Akka.Serialization;
using CaptureActors.Protocol.Serialization;

namespace CaptureActors.Protocol.Tests.Remote;

/// <summary>A message carrying a manifest and payload of the sender's choosing, as a foreign or hostile node could send.</summary>
internal sealed record Impostor(string Manifest, string Json);

/// <summary>
/// Plays <see cref="ProtocolSerializer"/> on the sending node (same identifier) but sends an <see cref="Impostor"/> with its own
/// manifest: the receiver sees exactly what a forged or newer-version message would look like on the wire.
/// </summary>
internal sealed class ImpostorSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly ProtocolSerializer _real = new(system);

    public override int Identifier => ProtocolSerializer.SerializerIdentifier;

    public override string Manifest(object o) => o is Impostor impostor ? impostor.Manifest : _real.Manifest(o);

    public override byte[] ToBinary(object obj) => obj is Impostor impostor ? Encoding.UTF8.GetBytes(impostor.Json) : _real.ToBinary(obj);

    public override object FromBinary(byte[] bytes, string manifest) => _real.FromBinary(bytes, manifest);
}
