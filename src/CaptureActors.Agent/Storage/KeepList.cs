namespace CaptureActors.Agent.Storage;

/// <summary>
/// <c>keep.json</c> in the data directory: the capture files marked keep (<c>packetcapture keep FILE</c>). A kept file
/// is never deleted by a ring, the disk guard, <c>delete</c> or <c>clear</c>. Every process sharing the directory reads
/// the same file, so a mark set through one console holds for a capture running in another process. Written atomically
/// (temporary file, rename); names of files that no longer exist are dropped on each change.
/// </summary>
public static class KeepList
{
    public const string FileName = "keep.json";

    /// <summary>The stored shape.</summary>
    public sealed record Stored(IReadOnlyList<string> Files);

    /// <summary>The kept names; empty when none were marked (or the file cannot be read).</summary>
    public static IReadOnlySet<string> Load(string dataDirectory) =>
        AgentJson.TryRead<Stored>(Path.Combine(dataDirectory, FileName)) is { Files: { } files }
            ? files.ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Marks (<paramref name="keep"/>) or unmarks <paramref name="names"/> and stores the list, without names whose file is
    /// gone from <paramref name="captureDirectory"/>.
    /// </summary>
    /// <exception cref="IOException">The list could not be written.</exception>
    public static void Update(string dataDirectory, string captureDirectory, IEnumerable<string> names, bool keep)
    {
        var kept = new HashSet<string>(Load(dataDirectory), StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (keep)
            {
                kept.Add(name);
            }
            else
            {
                kept.Remove(name);
            }
        }

        kept.RemoveWhere(name => !File.Exists(Path.Combine(captureDirectory, name)));
        Directory.CreateDirectory(dataDirectory);
        AgentJson.WriteAtomically(Path.Combine(dataDirectory, FileName), new Stored([.. kept.Order(StringComparer.Ordinal)]));
    }
}
