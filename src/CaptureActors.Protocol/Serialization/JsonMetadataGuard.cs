using System.Runtime.Serialization;
using System.Text.Json;

namespace CaptureActors.Protocol.Serialization;

/// <summary>
/// Refuses a protocol payload that carries JSON metadata properties (<c>$type</c>, <c>$id</c>, <c>$ref</c>, <c>$values</c>…)
/// at any depth. System.Text.Json would ignore them for our non-polymorphic records, but a message that names a .NET
/// type (the Newtonsoft gadget style: <c>{"$type":"System.Diagnostics.Process, System", …}</c>) is forged, never ours:
/// it is dropped as a whole rather than half-read. None of our records has a property or key that starts with <c>$</c>.
/// </summary>
internal static class JsonMetadataGuard
{
    public static void Check(ReadOnlySpan<byte> json, string manifest, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueSpan.Length > 0 && reader.ValueSpan[0] == (byte)'$')
            {
                throw new SerializationException(
                    $"'{manifest}' payload ({json.Length} bytes) carries the JSON metadata property '{Shorten(reader.GetString())}': " +
                    "type names from the wire are never honoured; the message is dropped");
            }
        }
    }

    private static string Shorten(string? name) => name is null ? "" : name.Length > 40 ? name[..40] + "…" : name;
}
