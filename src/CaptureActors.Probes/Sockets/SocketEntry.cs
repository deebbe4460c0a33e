using System.Net;

namespace CaptureActors.Probes.Sockets;

public enum SocketProtocol
{
    Tcp,
    Udp,
}

/// <summary>One line of <c>/proc/net/{tcp,tcp6,udp,udp6}</c>.</summary>
/// <param name="State">The kernel's socket state (TCP states; UDP uses Established when connected, Close when not).</param>
/// <param name="SendQueue">tx_queue: bytes not yet acknowledged (TCP) or queued to send.</param>
/// <param name="ReceiveQueue">rx_queue: bytes not yet read by the process; for a TCP listener, the accept queue length.</param>
public sealed record SocketEntry(
    SocketProtocol Protocol,
    IPEndPoint Local,
    IPEndPoint Remote,
    KernelSocketState State,
    long SendQueue,
    long ReceiveQueue,
    int Uid,
    long Inode)
{
    public bool IsIPv6 => Local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    /// <summary>A TCP socket in LISTEN, or a UDP socket bound and not connected: a service waiting for peers.</summary>
    public bool IsListening => Protocol == SocketProtocol.Tcp
        ? State == KernelSocketState.Listen
        : State == KernelSocketState.Close && Remote.Port == 0;
}

/// <summary>The kernel's TCP states as numbered in include/net/tcp_states.h.</summary>
public enum KernelSocketState
{
    Unknown = 0,
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
    NewSynRecv = 12,
}
