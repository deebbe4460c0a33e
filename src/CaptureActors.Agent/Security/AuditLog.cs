using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaptureActors.Agent.Security;

/// <summary>
/// The agent's audit log: JSON lines appended to one file (<c>capture-agent.audit.path</c>, default
/// <c>DATA_DIR/audit.log</c>), created 0600, never truncated or rotated by the agent (use logrotate; both its rename
/// and copytruncate modes work because each line is appended with O_APPEND to whatever file has the name now).
/// A line that cannot be written is reported to <paramref name="onError"/> and does not stop the command.
/// </summary>
public sealed class AuditLog(string path, Action<string> onError)
{
    public const string DefaultFileName = "audit.log";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string Path { get; } = path;

    /// <summary>Creates the file (and its directory) if needed and checks it can be appended to; an IOException says why not.</summary>
    public static AuditLog Open(string path, Action<string> onError)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        AppendOnlyFile.AppendBytes(path, []);
        return new AuditLog(path, onError);
    }

    public void Write(AuditEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, Json);
        try
        {
            AppendOnlyFile.AppendBytes(Path, [.. line, (byte)'\n']);
        }
        catch (IOException e)
        {
            onError($"audit log: {e.Message}; lost line: {System.Text.Encoding.UTF8.GetString(line)}");
        }
    }
}
