using CaptureActors.Agent.Disk;

namespace CaptureActors.Agent.Hosting;

/// <summary>Settings of one agent (one node).</summary>
public sealed class AgentOptions
{
    /// <summary>Node name: used in file names and status. Safe characters only; defaults to the host name.</summary>
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>
    /// The node's data directory: captures/ (pcap files and sidecars), setup.json, the capture lock.
    /// Default <c>/var/lib/capture-actors</c> as root, else <c>~/.local/share/capture-actors</c>.
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>How often interface counters reach the capture supervisor (and the status file).</summary>
    public TimeSpan CounterInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest time a captured packet waits in memory before it is in the file.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// On start, finish the captures a dead process left open (files cut after their last whole record, sidecar
    /// finished with <c>agent-crash</c>) and resume the node's detached capture (<c>capture-intent.json</c>). On for
    /// <c>capture-agent</c>; off for capturectl's embedded agent, which lives only as long as one command.
    /// </summary>
    public bool RecoverOnStart { get; set; }

    /// <summary>The disk guard (floor, quota, check interval); null: read <c>capture-agent.disk</c> from the actor system's configuration.</summary>
    public DiskGuardSettings? Disk { get; set; }

    /// <summary>How free space is measured (statvfs); actor tests replace it.</summary>
    public IDiskSpace DiskSpace { get; set; } = StatvfsDiskSpace.Instance;

    /// <summary>The group whose members may use a plain agent from its host (<c>--local-group</c>); null: capture-agent.local-access.group.</summary>
    public string? LocalGroup { get; set; }

    public static string DefaultDataDirectory() =>
        Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root"
            ? "/var/lib/capture-actors"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "capture-actors");

    public string CaptureDirectory => Path.Combine(DataDirectory, "captures");
}
