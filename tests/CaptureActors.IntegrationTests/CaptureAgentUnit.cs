namespace CaptureActors.IntegrationTests;

/// <summary>The systemd unit deploy/systemd/capture-agent.service, read as key=value lines of its [Service] section.</summary>
public sealed class CaptureAgentUnit
{
    private CaptureAgentUnit(string path, ILookup<string, string> service)
    {
        Path = path;
        Service = service;
    }

    public static string DefaultPath => System.IO.Path.Combine(CaptureAgentProcess.RepositoryRoot, "deploy", "systemd", "capture-agent.service");

    public string Path { get; }

    /// <summary>Every value given to a key (keys may repeat).</summary>
    public ILookup<string, string> Service { get; }

    /// <summary>The one value of <paramref name="key"/>; fails when missing or repeated.</summary>
    public string this[string key] => Service[key].Count() == 1
        ? Service[key].Single()
        : throw new InvalidOperationException($"{Path}: [Service] has {Service[key].Count()} values of {key}, expected one");

    /// <summary>The ambient capabilities in setpriv's spelling: <c>CAP_NET_RAW CAP_NET_ADMIN</c> becomes <c>net_raw,net_admin</c>.</summary>
    public string AmbientCapabilitiesForSetpriv =>
        string.Join(',', this["AmbientCapabilities"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c.ToLowerInvariant().Replace("cap_", "", StringComparison.Ordinal)));

    public static CaptureAgentUnit Load(string? path = null)
    {
        path ??= DefaultPath;
        List<(string Key, string Value)> service = [];
        string? section = null;
        foreach (string raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                section = line;
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (section == "[Service]" && equals > 0)
            {
                service.Add((line[..equals].Trim(), line[(equals + 1)..].Trim()));
            }
        }

        return new CaptureAgentUnit(path, service.ToLookup(s => s.Key, s => s.Value, StringComparer.Ordinal));
    }
}
