namespace CaptureActors.Probes.Sockets;

/// <summary>The node's TCP and UDP sockets, IPv4 and IPv6, as the kernel lists them in procfs (this network namespace).</summary>
public sealed class SocketTable(ProbeEnvironment environment)
{
    private static readonly (string File, SocketProtocol Protocol)[] Tables =
    [
        ("tcp", SocketProtocol.Tcp),
        ("tcp6", SocketProtocol.Tcp),
        ("udp", SocketProtocol.Udp),
        ("udp6", SocketProtocol.Udp),
    ];

    public ProbeEnvironment Environment { get; } = environment;

    /// <summary>Every socket now; a table missing (IPv6 disabled) contributes nothing.</summary>
    public async Task<IReadOnlyList<SocketEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        var entries = new List<SocketEntry>();
        foreach (var (file, protocol) in Tables)
        {
            var path = Path.Combine(Environment.ProcRoot, "net", file);
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }

            entries.AddRange(ProcNetParser.Parse(text, protocol));
        }

        return entries;
    }

    public IReadOnlyDictionary<long, SocketOwner> ReadOwners() => SocketOwners.Read(Environment.ProcRoot);

    public UserNames ReadUserNames() => UserNames.Read(Environment.PasswdFile);
}
