using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Ping;

/// <summary>An answer, who sent it, and when the kernel received it (<see cref="IcmpSocket.Now"/>'s clock).</summary>
public sealed record ReceivedAnswer(IcmpAnswer Answer, IPAddress From, long ReceivedAt);

/// <summary>
/// A raw ICMP (IPv4) or ICMPv6 socket for one probe run, with its own random echo identifier. A raw socket sees every
/// ICMP message of the node's network namespace, so answers are filtered by identifier and quoted target; other
/// pings running at the same time (another console, another agent on the same host) pass each other by.
/// A socket filter (<see cref="IcmpSocketFilter"/>) lets the kernel queue only answers for our identifier.
/// Needs root or CAP_NET_RAW; without it opening fails with <see cref="ErrorCode.PermissionDenied"/>.
/// </summary>
/// <remarks>
/// Round trips use the kernel's receive time of each answer (SO_TIMESTAMP, read back with the SIOCGSTAMP ioctl),
/// as iputils does, so they do not include the wake-up of the awaiting task (0.1–2 ms here, tens of ms on a
/// first, not yet compiled call). Without it they fall back to the time the answer was read.
/// </remarks>
public sealed partial class IcmpSocket : IDisposable
{
    private const int ReceiveBufferBytes = 65_536 + 128;
    private const int SoTimestamp = 29;
    private const uint SiocGStamp = 0x8906;

    private readonly Socket _socket;
    private readonly IPEndPoint _target;
    private readonly byte[] _buffer = new byte[ReceiveBufferBytes];

    private IcmpSocket(Socket socket, IPAddress target, ushort identifier)
    {
        _socket = socket;
        _target = new IPEndPoint(target, 0);
        Identifier = identifier;
    }

    public ushort Identifier { get; }

    public IPAddress Target => _target.Address;

    public AddressFamily Family => _target.AddressFamily;

    /// <param name="tool">The command name for the message when the privilege is missing (<c>ping</c>, <c>traceroute</c>).</param>
    public static IcmpSocket Open(IPAddress target, string tool)
    {
        var family = target.AddressFamily;
        Socket socket;
        try
        {
            socket = new Socket(family, SocketType.Raw, family == AddressFamily.InterNetworkV6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AccessDenied or SocketError.ProtocolNotSupported or SocketError.SocketNotSupported)
        {
            throw new ProbeException(
                ErrorCode.PermissionDenied,
                $"{tool} needs a raw ICMP socket, which only root or a process with CAP_NET_RAW may open: run the agent as root ({e.Message})",
                e);
        }

        try
        {
            var identifier = (ushort)Random.Shared.Next(1, ushort.MaxValue);
            IcmpSocketFilter.Attach(socket, identifier);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, (SocketOptionName)SoTimestamp, true);
            }
            catch (SocketException)
            {
                // No kernel receive times: round trips are measured when answers are read.
            }

            // .NET receives only on a bound socket (or one that has sent); the wildcard address restricts nothing.
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            WarmUp(family, target);
            return new IcmpSocket(socket, target, identifier);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Now, on the clock of <see cref="ReceivedAnswer.ReceivedAt"/> (wall-clock ticks, as the kernel stamps packets).</summary>
    public static long Now() => DateTime.UtcNow.Ticks;

    /// <summary>Milliseconds from <paramref name="sentAt"/> to <paramref name="receivedAt"/> (never negative).</summary>
    public static double Milliseconds(long sentAt, long receivedAt) => Math.Max(0, receivedAt - sentAt) / (double)TimeSpan.TicksPerMillisecond;

    /// <summary>The TTL (IPv4) or hop limit (IPv6) of the requests sent from now on.</summary>
    public void SetTimeToLive(int ttl) => _socket.Ttl = (short)ttl;

    /// <summary>
    /// Sends an echo request. Returns null when sent, or the kernel's refusal (e.g. <c>Network is unreachable</c>),
    /// which ping reports as an error for that sequence and traceroute as a failed probe.
    /// </summary>
    public async Task<string?> SendEchoAsync(ushort sequence, int payloadSize, CancellationToken cancellationToken)
    {
        var packet = IcmpPacket.EchoRequest(Family, Identifier, sequence, payloadSize);
        try
        {
            await _socket.SendToAsync(packet, SocketFlags.None, _target, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Waits for the next answer to one of our requests (anything else that arrives is skipped). Only one receive may
    /// be pending at a time; it ends with <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<ReceivedAnswer> ReceiveAsync(CancellationToken cancellationToken)
    {
        EndPoint any = Family == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            var received = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            var at = KernelReceiveTime() ?? Now();
            var answer = IcmpPacket.Parse(Family, _buffer.AsSpan(0, received.ReceivedBytes), Identifier, Target);
            if (answer is not null)
            {
                return new ReceivedAnswer(answer, ((IPEndPoint)received.RemoteEndPoint).Address, at);
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>When the kernel received the datagram just read (null when the socket has no such stamp).</summary>
    private long? KernelReceiveTime()
    {
        if (IoctlTimeval(_socket.Handle, SiocGStamp, out var stamp) != 0 || stamp.Seconds <= 0)
        {
            return null;
        }

        return DateTime.UnixEpoch.Ticks + (stamp.Seconds * TimeSpan.TicksPerSecond) + (stamp.Microseconds * TimeSpan.TicksPerMicrosecond);
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlTimeval(nint fd, nuint request, out Timeval value);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>Runs the packet code once before anything is timed, so the first round trip does not include its JIT.</summary>
    private static void WarmUp(AddressFamily family, IPAddress target)
    {
        var packet = IcmpPacket.EchoRequest(family, 0, 0, 8);
        _ = IcmpPacket.Parse(family, packet, 1, target);
        _ = Milliseconds(Now(), Now());
    }
}
