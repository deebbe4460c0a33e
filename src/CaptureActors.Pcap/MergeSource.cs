namespace CaptureActors.Pcap;

/// <summary>One node's interface to merge: its capture files (classic pcap or pcapng, by content) and the node's clock offset.</summary>
/// <param name="Node">Node name; with <paramref name="Interface"/> it names the pcapng interface <c>node:iface</c>.</param>
/// <param name="Interface">Capture interface on that node, e.g. <c>eth0</c>.</param>
/// <param name="Files">The capture's rotated segments, in the order they were written. All must have the same link type.</param>
/// <param name="ClockOffset">The node's clock minus the controller's; merged timestamps are <c>t - ClockOffset</c>.</param>
public sealed record MergeSource(string Node, string Interface, IReadOnlyList<string> Files, TimeSpan ClockOffset)
{
    /// <summary>The pcapng interface name, <c>node:iface</c>.</summary>
    public string InterfaceName => $"{Node}:{Interface}";
}
