namespace CaptureActors.Protocol;

/// <summary>Answered by <see cref="InterfaceListing"/>.</summary>
public sealed record ListInterfaces : IAgentQuery
{
    public static readonly ListInterfaces Instance = new();
}

public sealed record InterfaceListing(string Node, IReadOnlyList<NetworkInterfaceInfo> Interfaces) : ICaptureProtocol;

/// <summary>An interface of a node, as the capture inventory sees it.</summary>
/// <param name="LinkType">libpcap's link-layer name, e.g. EN10MB.</param>
/// <param name="Capturable">libpcap can open it (it is listed by pcap_findalldevs).</param>
public sealed record NetworkInterfaceInfo(
    string Name,
    bool IsUp,
    IReadOnlyList<string> Addresses,
    int? Mtu,
    string LinkType,
    bool Capturable,
    string? Description);

/// <summary>Answered by <see cref="AgentIdentity"/>. (Named apart from Akka's own Identify.)</summary>
public sealed record IdentifyAgent : IAgentQuery
{
    public static readonly IdentifyAgent Instance = new();
}

/// <summary>Who a node is: its name, agent version, data directory and clock.</summary>
public sealed record AgentIdentity(string Node, string Version, string DataDirectory, DateTimeOffset Clock) : ICaptureProtocol;
