using CaptureActors.Protocol;

namespace CaptureActors.Agent.Storage;

/// <summary><c>setup.json</c> in the data directory: the node's default capture settings (<c>packetcapture setup</c>).</summary>
public sealed class SetupStore(string dataDirectory)
{
    public const string FileName = "setup.json";

    private string FilePath => Path.Combine(dataDirectory, FileName);

    /// <summary>The stored setup, or <see cref="CaptureSettings.Default"/> when none was stored (or it cannot be read).</summary>
    public CaptureSettings Load() => AgentJson.TryRead<CaptureSettings>(FilePath) ?? CaptureSettings.Default;

    public void Save(CaptureSettings settings)
    {
        Directory.CreateDirectory(dataDirectory);
        AgentJson.WriteAtomically(FilePath, settings);
    }
}
