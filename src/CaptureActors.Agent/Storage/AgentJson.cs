using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaptureActors.Agent.Storage;

/// <summary>The JSON shape of everything the agent stores: camelCase, kebab-case enums, indented for people.</summary>
public static class AgentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>
    /// Writes <paramref name="value"/> to <paramref name="path"/> atomically and durably: temporary file, fsync, rename,
    /// fsync of the directory. A crash at any point leaves the old file or the new one, never a mix or none.
    /// </summary>
    public static void WriteAtomically<T>(string path, T value)
    {
        var temporary = path + ".tmp";
        // Created afresh: a link planted as the temporary name is removed, never written through.
        using (var stream = RegularFile.CreateNew(temporary))
        {
            JsonSerializer.Serialize(stream, value, Options);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Reads a JSON file; null when it does not exist, is not a regular file (a link or a FIFO is never followed:
    /// <see cref="RegularFile"/>) or cannot be parsed (a half-written file is never trusted).
    /// </summary>
    public static T? TryRead<T>(string path)
        where T : class
    {
        try
        {
            using var stream = RegularFile.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Options);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
