using System.Collections.Frozen;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Security;

/// <summary>What a request needs: the least role, the console command it comes from, and whether it is audited.</summary>
/// <param name="Role">The least role; null: anyone the transport admits, without a session (only the agent's identity,
/// which is the health check and the clock probe of controllers).</param>
/// <param name="Name">The capturectl command, as the user typed it (for refusals and the audit log).</param>
/// <param name="Audited">True for requests that change the node's state or read capture data: each one is a line in
/// the audit log with its result. Status polls, listings and read-only probes are not.</param>
public sealed record CommandRule(AgentRole? Role, string Name, Func<ICaptureProtocol, bool> Audited);

/// <summary>
/// THE table of authorization (docs/authorization.md): every message of the protocol is a request with its
/// <see cref="CommandRule"/>, a step of the session handshake, or a reply (never accepted by an agent). Nothing else in
/// the agent checks roles. A test walks ProtocolSerializer's allow-list and fails for a message missing here, so a new
/// command cannot ship unclassified; a request type missing from <see cref="Requests"/> is refused, never let through.
/// <para>
/// Viewer: everything that only reads the node's state (status, setup, filter check, files list, interfaces, netstat, tcpservices,
/// arp/ndp and etherconfig views) and the probes that only send test traffic (ping, traceroute, smtpping: the appliance
/// lets a read-only administrator ping, and they change nothing and read no captured packets). Operator: starting and
/// stopping captures, the setup, reading capture files (download) and deleting them, flushing caches and changing
/// interfaces.
/// </para>
/// </summary>
public static class CommandRoles
{
    private static readonly Func<ICaptureProtocol, bool> Always = _ => true;
    private static readonly Func<ICaptureProtocol, bool> Never = _ => false;

    private static CommandRule Viewer(string name) => new(AgentRole.Viewer, name, Never);

    private static CommandRule Operator(string name) => new(AgentRole.Operator, name, Always);

    public static readonly FrozenDictionary<Type, CommandRule> Requests = new Dictionary<Type, CommandRule>
    {
        // CaptureCommands.cs
        [typeof(StartCapture)] = Operator("packetcapture start"),
        [typeof(StopCapture)] = Operator("packetcapture stop"),
        [typeof(GetCaptureStatus)] = Viewer("packetcapture status"),
        [typeof(GetSetup)] = Viewer("packetcapture setup (show)"),
        [typeof(UpdateSetup)] = Operator("packetcapture setup"),
        [typeof(CheckFilter)] = Viewer("packetcapture check-filter"),

        // FileMessages.cs: reading a capture file is reading captured traffic.
        [typeof(ListFiles)] = Viewer("packetcapture files"),
        [typeof(DeleteFiles)] = Operator("packetcapture delete"),
        [typeof(ClearFiles)] = Operator("packetcapture clear"),
        [typeof(KeepFiles)] = Operator("packetcapture keep"),
        // A download in chunks asks for each 64 KiB: only the first chunk of a file is an audit line.
        [typeof(ReadFileChunk)] = new(AgentRole.Operator, "packetcapture download", m => m is ReadFileChunk { Offset: 0 }),
        [typeof(OpenDownload)] = Operator("packetcapture download"),

        // AgentMessages.cs
        [typeof(ListInterfaces)] = Viewer("interfaces"),
        [typeof(IdentifyAgent)] = new(null, "nodes", Never),

        // Probes: CancelProbe only reaches the sender's own probes.
        [typeof(CancelProbe)] = Viewer("probe cancel"),
        [typeof(ListTcpServices)] = Viewer("tcpservices"),
        [typeof(ListNetstatSockets)] = Viewer("netstat sockets"),
        [typeof(ListNetstatInterfaces)] = Viewer("netstat interfaces"),
        [typeof(ListNetstatRoutes)] = Viewer("netstat routes"),
        [typeof(ListNetstatListenQueues)] = Viewer("netstat listen"),
        [typeof(WatchNetstatTraffic)] = Viewer("netstat traffic"),
        [typeof(ShowNeighbours)] = Viewer("diagnostic network arpshow/ndpshow"),
        [typeof(ShowEtherconfig)] = Viewer("etherconfig"),
        [typeof(PingHost)] = Viewer("ping"),
        [typeof(Traceroute)] = Viewer("traceroute"),
        [typeof(SmtpPing)] = Viewer("diagnostic network smtpping"),
        [typeof(FlushCaches)] = Operator("diagnostic network flush"),
        [typeof(SetMtu)] = Operator("etherconfig mtu set"),
        [typeof(AddVlan)] = Operator("etherconfig vlan add"),
        [typeof(RemoveVlan)] = Operator("etherconfig vlan remove"),
    }.ToFrozenDictionary();

    /// <summary>The session handshake: open to anyone who reaches the agent (each step checks what it is given).</summary>
    public static readonly FrozenSet<Type> SessionSteps = new[]
    {
        typeof(OpenSession), typeof(SessionProof), typeof(AuthorizedRequest),
    }.ToFrozenSet();

    /// <summary>Messages an agent sends and never accepts.</summary>
    public static readonly FrozenSet<Type> Replies = new[]
    {
        typeof(CaptureStarted), typeof(CaptureRejected), typeof(CaptureStopped), typeof(CaptureStatus), typeof(SetupReport), typeof(FilterChecked),
        typeof(FileListing), typeof(FilesDeleted), typeof(FilesKept), typeof(FileChunk), typeof(DownloadTicket),
        typeof(InterfaceListing), typeof(AgentIdentity),
        typeof(SessionChallenge), typeof(SessionGranted),
        typeof(CommandFailed), typeof(ProbeFailed),
        typeof(TcpServicesReport),
        typeof(NetstatSocketsReport), typeof(NetstatInterfacesReport), typeof(NetstatRoutesReport), typeof(NetstatListenReport),
        typeof(TrafficSample), typeof(NetstatTrafficReport),
        typeof(SmtpPhaseCompleted), typeof(SmtpPingReport),
        typeof(NeighbourReport), typeof(FlushReport),
        typeof(EtherconfigReport), typeof(EtherconfigChanged),
        typeof(PingStarted), typeof(PingResponse), typeof(PingSummary),
        typeof(TracerouteStarted), typeof(TracerouteHopDone), typeof(TracerouteReport),
    }.ToFrozenSet();

    /// <summary>The rule of <paramref name="request"/>; null for anything that is not a request.</summary>
    public static CommandRule? For(ICaptureProtocol request) =>
        Requests.TryGetValue(request.GetType(), out var rule) ? rule : null;

    /// <summary>Lower case, as in the configuration and in messages.</summary>
    public static string Text(AgentRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The role text of a rule: a role, or "none" for requests open to anyone the transport admits.</summary>
    public static string Text(AgentRole? role) => role is { } r ? Text(r) : "none";
}
