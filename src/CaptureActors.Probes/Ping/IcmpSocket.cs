using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
/// Round trips run from the kernel's transmit time stamp of each request (SO_TIMESTAMPING with TX_SOFTWARE, read
/// from the socket's error queue and matched by its OPT_ID key) to the kernel's receive time stamp of its answer
/// (SCM_TIMESTAMPING, read with recvmsg), so neither the send path nor the wake-up of the awaiting task (0.1–2 ms
/// here, tens of ms on a first, not yet compiled call) is counted. Without a transmit stamp the time just before the
/// send is used (as iputils does); without a receive stamp, the time the answer was read.
/// </remarks>
public sealed class IcmpSocket : IDisposable
{
    private const int ReceiveBufferBytes = 65_536 + 128;

    /// <summary>
    /// A socket that asks for receive stamps for as long as the process lives. The kernel turns its receive stamping
    /// on when the first such socket appears and off after the last one closes, and turning it on is deferred to a
    /// work queue: a ping opened just then had its first reply stamped when it was read (measured in the shell: a
    /// second ping's first reply 2.1 ms instead of 0.03). With this one always open, stamping stays on.
    /// </summary>
    private static readonly Lazy<Socket?> KeepStampingOn = new(OpenStampingKeeper);

    /// <summary>The most requests whose send times are kept (one per 16-bit sequence number).</summary>
    private const int MaxSent = 65_536;

    private readonly Socket _socket;
    private readonly IPEndPoint _target;
    private readonly byte[] _buffer = new byte[ReceiveBufferBytes];
    private readonly byte[] _errorBuffer = new byte[256];
    private readonly bool _transmitStamps;
    private readonly Dictionary<ushort, Sent> _sent = [];
    private readonly Dictionary<uint, long> _transmitted = [];
    private uint _nextKey;

    private IcmpSocket(Socket socket, IPAddress target, ushort identifier, bool transmitStamps)
    {
        _socket = socket;
        _target = new IPEndPoint(target, 0);
        Identifier = identifier;
        _transmitStamps = transmitStamps;
    }

    public ushort Identifier { get; }

    public IPAddress Target => _target.Address;

    public AddressFamily Family => _target.AddressFamily;

    /// <param name="tool">The command name for the message when the privilege is missing (<c>ping</c>, <c>traceroute</c>).</param>
    public static IcmpSocket Open(IPAddress target, string tool)
    {
        var family = target.AddressFamily;
        _ = KeepStampingOn.Value;
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
            var transmitStamps = TrySetOption(socket, SocketMessage.SolSocket, SocketMessage.SoTimestamping, SocketMessage.TimestampingFlags);
            if (!transmitStamps)
            {
                // No transmit stamps: at least the kernel's receive times (SCM_TIMESTAMPNS).
                TrySetOption(socket, SocketMessage.SolSocket, SocketMessage.SoTimestampNs, 1);
            }

            if (family == AddressFamily.InterNetworkV6)
            {
                // A raw ICMPv6 socket does not see the IPv6 header: the hop limit comes as ancillary data.
                TrySetOption(socket, SocketMessage.SolIpv6, SocketMessage.Ipv6RecvHopLimit, 1);
            }

            // .NET receives only on a bound socket (or one that has sent); the wildcard address restricts nothing.
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            WarmUp(family, target);
            return new IcmpSocket(socket, target, identifier, transmitStamps);
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
    /// which ping reports as an error for that sequence and traceroute as a failed probe. When it was sent is then
    /// <see cref="SentAt"/>.
    /// </summary>
    public async Task<string?> SendEchoAsync(ushort sequence, int payloadSize, CancellationToken cancellationToken)
    {
        var packet = IcmpPacket.EchoRequest(Family, Identifier, sequence, payloadSize);
        var before = Now();
        try
        {
            await _socket.SendToAsync(packet, SocketFlags.None, _target, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return e.Message;
        }

        if (_sent.Count >= MaxSent)
        {
            _sent.Clear();
        }

        // The kernel numbers each datagram it stamps (SOF_TIMESTAMPING_OPT_ID), from 0, in the order they are sent.
        _sent[sequence] = new Sent(before, _nextKey++);
        DrainTransmitStamps();
        return null;
    }

    /// <summary>
    /// When the request with <paramref name="sequence"/> left: the kernel's transmit stamp when it came (it is
    /// queued before the answer can arrive), else the time just before it was sent.
    /// </summary>
    public long SentAt(ushort sequence)
    {
        if (!_sent.Remove(sequence, out var sent))
        {
            return Now();
        }

        DrainTransmitStamps();
        return _transmitted.Remove(sent.Key, out var stamp) && stamp >= sent.Before ? stamp : sent.Before;
    }

    /// <summary>
    /// Waits for the next answer to one of our requests (anything else that arrives is skipped). Only one receive may
    /// be pending at a time; it ends with <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<ReceivedAnswer> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Peeking waits until a datagram is queued without taking it; recvmsg then reads it with its ancillary data.
            await _socket.ReceiveAsync(_buffer, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
            while (SocketMessage.Receive(_socket.SafeHandle, _buffer, errorQueue: false) is { } message)
            {
                var answer = IcmpPacket.Parse(Family, _buffer.AsSpan(0, message.Length), Identifier, Target);
                if (answer is not null && message.From is not null)
                {
                    if (answer.Ttl is null && message.HopLimit is { } hopLimit)
                    {
                        answer = answer with { Ttl = hopLimit };
                    }

                    return new ReceivedAnswer(answer, message.From, message.Stamp ?? Now());
                }
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private static Socket? OpenStampingKeeper()
    {
        try
        {
            var keeper = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            TrySetOption(keeper, SocketMessage.SolSocket, SocketMessage.SoTimestampNs, 1);
            return keeper;
        }
        catch (SocketException)
        {
            return null; // round trips are still kernel-stamped, only a first one may then read late
        }
    }

    /// <summary>setsockopt with Linux's own numbers (.NET's SetSocketOption refuses names it does not know).</summary>
    private static bool TrySetOption(Socket socket, int level, int name, int value)
    {
        try
        {
            socket.SetRawSocketOption(level, name, BitConverter.GetBytes(value));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Takes the transmit stamps the kernel queued on the error queue (keeps at most one per kept request).</summary>
    private void DrainTransmitStamps()
    {
        if (!_transmitStamps)
        {
            return;
        }

        while (SocketMessage.Receive(_socket.SafeHandle, _errorBuffer, errorQueue: true) is { } message)
        {
            if (message is { TimestampKey: { } key, Stamp: { } stamp })
            {
                if (_transmitted.Count >= MaxSent)
                {
                    _transmitted.Clear();
                }

                _transmitted[key] = stamp;
            }
        }
    }

    /// <param name="Before">Wall-clock ticks just before the send.</param>
    /// <param name="Key">The kernel's OPT_ID number of the datagram.</param>
    private readonly record struct Sent(long Before, uint Key);

    /// <summary>Runs the packet code once before anything is timed, so the first round trip does not include its JIT.</summary>
    private static void WarmUp(AddressFamily family, IPAddress target)
    {
        var packet = IcmpPacket.EchoRequest(family, 0, 0, 8);
        _ = IcmpPacket.Parse(family, packet, 1, target);
        _ = Milliseconds(Now(), Now());
    }
}
