using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace CaptureActors.Protocol.Tests.Serialization;

/// <summary>
/// Structural views of protocol messages, independent of <c>ProtocolSerializer</c>: records holding lists do not compare by
/// value, so tests compare this JSON (every public property, computed ones included; actor refs by path).
/// </summary>
internal static class Structure
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new ActorRefAsPath() } };

    public static string Of(object message) => message.GetType().FullName + " " + JsonSerializer.Serialize(message, message.GetType(), Options);

    /// <summary>The types a deserialized message may consist of: our types, and plain data.</summary>
    public static bool IsPlainData(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) ||
        type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(byte[]);

    public static bool IsOurs(Type type) => type.Assembly == typeof(ICaptureProtocol).Assembly;

    /// <summary>Every object reachable from <paramref name="root"/> through public properties, with its path.</summary>
    public static IEnumerable<(string Path, object? Value)> Walk(object root, string path = "$")
    {
        yield return (path, root);
        var type = root.GetType();
        if (IsPlainData(type) || root is IActorRef)
        {
            yield break;
        }

        if (root is IEnumerable items and not string)
        {
            var index = 0;
            foreach (var item in items)
            {
                var itemPath = $"{path}[{index++}]";
                if (item is null)
                {
                    yield return (itemPath, null);
                    continue;
                }

                foreach (var inner in Walk(item, itemPath))
                {
                    yield return inner;
                }
            }

            yield break;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var value = property.GetValue(root);
            var propertyPath = $"{path}.{property.Name}";
            if (value is null)
            {
                yield return (propertyPath, null);
                continue;
            }

            foreach (var inner in Walk(value, propertyPath))
            {
                yield return inner;
            }
        }
    }

    private sealed class ActorRefAsPath : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("only for comparison");

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Path.ToString());
    }
}
