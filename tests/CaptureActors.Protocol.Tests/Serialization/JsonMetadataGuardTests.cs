using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using CaptureActors.Protocol.Serialization;

namespace CaptureActors.Protocol.Tests.Serialization;

/// <summary>A payload that names a .NET type (<c>$type</c> and the other JSON metadata properties) is dropped whole.</summary>
public sealed class JsonMetadataGuardTests : Akka.TestKit.Xunit2.TestKit
{
    private ProtocolSerializer Serializer => new((ExtendedActorSystem)Sys);

    [Theory]
    [MemberData(nameof(ProtocolSerializerTests.Gadgets), MemberType = typeof(ProtocolSerializerTests))]
    public void Every_gadget_payload_is_refused_naming_the_metadata_property(string manifest, string json)
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(Encoding.UTF8.GetBytes(json), manifest));

        Assert.Contains($"'{manifest}' payload", error.Message, StringComparison.Ordinal);
        Assert.Contains("carries the JSON metadata property '$", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dollar_inside_a_string_value_is_data_not_metadata()
    {
        var message = Serializer.FromBinary("""{"names":["$type","a$b"]}"""u8.ToArray(), "DeleteFiles");

        Assert.Equal(["$type", "a$b"], Assert.IsType<DeleteFiles>(message).Names);
    }
}
