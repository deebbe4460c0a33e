using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Rendering;

/// <summary>
/// The <c>--json</c> form of results: one document per command on stdout; camelCase names, enums as kebab-case
/// strings (<c>duration-reached</c>, <c>running</c>), durations as seconds.
/// </summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Read by scripts and people, never embedded in HTML: keep quotes and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters =
        {
            new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower),
            new SecondsConverter(),
        },
    };

    /// <summary>As <see cref="Options"/>, on one line: for streams of documents (<c>status --watch --json</c>).</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    public static void Write(TextWriter output, object document) =>
        output.WriteLine(JsonSerializer.Serialize(document, document.GetType(), Options));

    /// <summary>An error document: <c>{"error": {"code": ..., "message": ..., "detail": ...}}</c>.</summary>
    public static void WriteError(TextWriter output, string code, string message, object? detail = null) =>
        Write(output, new { error = new ErrorDocument(code, message, detail) });

    public static string CodeText(ErrorCode code) => JsonNamingPolicy.KebabCaseLower.ConvertName(code.ToString());

    private sealed record ErrorDocument(
        string Code,
        string Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Detail);

    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round(value.TotalSeconds, 3));
    }
}
