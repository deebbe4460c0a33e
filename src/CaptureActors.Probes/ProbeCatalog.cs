using CaptureActors.Probes.Dns;
using CaptureActors.Probes.Etherconfig;
using CaptureActors.Probes.Iproute;
using CaptureActors.Probes.Neighbours;
using CaptureActors.Probes.Netstat;
using CaptureActors.Probes.Ping;
using CaptureActors.Probes.Smtp;
using CaptureActors.Probes.Sockets;
using CaptureActors.Probes.Traceroute;
using CaptureActors.Protocol;

namespace CaptureActors.Probes;

/// <summary>
/// Every probe a node can run: the request type, the code that runs it and the longest it may take. The agent's
/// probe actors look requests up here; a request of a type not listed is refused.
/// </summary>
public sealed class ProbeCatalog
{
    /// <summary>Ceiling of a probe that did not name its own.</summary>
    public static readonly TimeSpan DefaultCeiling = TimeSpan.FromSeconds(60);

    /// <summary>Ceiling of probes made of a few <c>ip</c> runs (<see cref="IpTool.Limit"/> each).</summary>
    public static readonly TimeSpan ToolCeiling = TimeSpan.FromSeconds(45);

    private readonly Dictionary<Type, Entry> _entries = [];

    public ProbeCatalog(ProbeEnvironment environment)
    {
        Environment = environment;
        var sockets = new SocketTable(environment);
        Add<ListTcpServices>((command, context) => TcpServicesProbe.RunAsync(sockets, command, context));
        Add<ListNetstatSockets>((command, context) => NetstatSocketsProbe.RunAsync(sockets, command, context));
        Add<ListNetstatInterfaces>((command, context) => NetstatInterfacesProbe.RunAsync(environment, command, context));
        Add<ListNetstatRoutes>((command, context) => NetstatRoutesProbe.RunAsync(environment, command, context));
        Add<ListNetstatListenQueues>(NetstatListenProbe.RunAsync);
        Add<WatchNetstatTraffic>((command, context) => NetstatTrafficProbe.RunAsync(environment, command, context), NetstatTrafficProbe.Ceiling);
        Add<SmtpPing>((command, context) => SmtpPingProbe.RunAsync(Resolver, command, context), SmtpPingArguments.Ceiling);

        var ip = new IpTool(environment);
        var neighbours = new NeighbourTable(ip);
        Add<ShowNeighbours>((command, context) => NeighbourProbes.ShowAsync(neighbours, command, context), _ => ToolCeiling);
        Add<FlushCaches>((command, context) => NeighbourProbes.FlushAsync(neighbours, () => Resolver.FlushCache(), command, context), _ => ToolCeiling);

        var interfaces = new InterfaceTable(environment, ip);
        Add<ShowEtherconfig>((command, context) => EtherconfigProbes.ShowAsync(interfaces, command, context), _ => ToolCeiling);
        Add<SetMtu>((command, context) => EtherconfigProbes.SetMtuAsync(interfaces, command, context), _ => ToolCeiling);
        Add<AddVlan>((command, context) => EtherconfigProbes.AddVlanAsync(interfaces, command, context), _ => ToolCeiling);
        Add<RemoveVlan>((command, context) => EtherconfigProbes.RemoveVlanAsync(interfaces, command, context), _ => ToolCeiling);

        Add<PingHost>((command, context) => PingProbe.RunAsync(environment, command, context), PingProbe.Ceiling);
        Add<Protocol.Traceroute>((command, context) => TracerouteProbe.RunAsync(environment, Resolver, command, context), TracerouteProbe.Ceiling);
    }

    public ProbeEnvironment Environment { get; }

    /// <summary>The node's DNS resolver and its cache, shared by every probe (smtpping looks up through it; flush empties it).</summary>
    public NodeResolver Resolver { get; } = new();

    public bool Knows(IProbeCommand command) => _entries.ContainsKey(command.GetType());

    /// <summary>The longest <paramref name="command"/> may run before it is cancelled and reported as timed out.</summary>
    public TimeSpan Ceiling(IProbeCommand command) =>
        _entries.TryGetValue(command.GetType(), out var entry) ? entry.Ceiling(command) : DefaultCeiling;

    /// <summary>
    /// Runs <paramref name="command"/>. Fails with <see cref="ProbeException"/> for a specific refusal, with
    /// <see cref="OperationCanceledException"/> when cancelled before it has a result.
    /// </summary>
    public Task<IProbeResult> RunAsync(IProbeCommand command, ProbeContext context) =>
        _entries.TryGetValue(command.GetType(), out var entry)
            ? entry.Run(command, context)
            : throw new ProbeException(ErrorCode.InvalidArgument, $"this agent has no probe for {command.GetType().Name}");

    /// <summary>Adds (or, for a type already listed, replaces) the probe for <typeparamref name="TCommand"/>.</summary>
    /// <param name="ceiling">The longest a request may run; <see cref="DefaultCeiling"/> when null.</param>
    public void Add<TCommand>(Func<TCommand, ProbeContext, Task<IProbeResult>> run, Func<TCommand, TimeSpan>? ceiling = null)
        where TCommand : IProbeCommand =>
        _entries[typeof(TCommand)] = new Entry(
            (command, context) => run((TCommand)command, context),
            command => ceiling?.Invoke((TCommand)command) ?? DefaultCeiling);

    private sealed record Entry(Func<IProbeCommand, ProbeContext, Task<IProbeResult>> Run, Func<IProbeCommand, TimeSpan> Ceiling);
}
