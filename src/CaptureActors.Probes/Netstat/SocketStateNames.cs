using CaptureActors.Probes.Sockets;

namespace CaptureActors.Probes.Netstat;

/// <summary>The kernel's TCP states by the names netstat prints (net-tools' <c>tcp_state</c> table).</summary>
public static class SocketStateNames
{
    public static string Of(KernelSocketState state) => state switch
    {
        KernelSocketState.Established => "ESTABLISHED",
        KernelSocketState.SynSent => "SYN_SENT",
        KernelSocketState.SynRecv or KernelSocketState.NewSynRecv => "SYN_RECV",
        KernelSocketState.FinWait1 => "FIN_WAIT1",
        KernelSocketState.FinWait2 => "FIN_WAIT2",
        KernelSocketState.TimeWait => "TIME_WAIT",
        KernelSocketState.Close => "CLOSE",
        KernelSocketState.CloseWait => "CLOSE_WAIT",
        KernelSocketState.LastAck => "LAST_ACK",
        KernelSocketState.Listen => "LISTEN",
        KernelSocketState.Closing => "CLOSING",
        _ => "UNKNOWN",
    };

    /// <summary>
    /// A UDP socket has no TCP state: procfs says ESTABLISHED (1) when it is connected and CLOSE (7) otherwise; netstat
    /// prints ESTABLISHED for the first and nothing for the second.
    /// </summary>
    public static string OfUdp(KernelSocketState state) => state == KernelSocketState.Established ? "ESTABLISHED" : "";
}
