using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Ping;

/// <summary>An answer and when it arrived (<see cref="Stopwatch.GetTimestamp"/>), with who sent it.</summary>
public sealed record ReceivedAnswer(IcmpAnswer Answer, IPAddress From, long ReceivedAt);

/// <summary>
/// A raw ICMP (IPv4) or ICMPv6 socket for one probe run, with its own random echo identifier. A raw socket sees every
/// ICMP message of the node's network namespace, so answers are filtered by identifier and quoted target; other
/// pings running at the same time (another console, another agent on the same host) pass each other by.
/// Needs root or CAP_NET_RAW; without it opening fails with <see cref="ErrorCode.PermissionDenied"/>.
/// </summary>
public sealed class IcmpSocket : IDisposable
{
    private const int ReceiveBufferBytes = 65_536 + 128;

    private readonly Socket _socket;
    private readonly IPEndPoint _target;
    private readonly byte[] _buffer = new byte[ReceiveBufferBytes];

    private IcmpSocket(Socket socket, IPAddress target)
    {
        _socket = socket;
        _target = new IPEndPoint(target, 0);
        Identifier = (ushort)Random.Shared.Next(1, ushort.MaxValue);
    }

    public ushort Identifier { get; }

    public IPAddress Target => _target.Address;

    public AddressFamily Family => _target.AddressFamily;

    /// <param name="tool">The command name for the message when the privilege is missing (<c>ping</c>, <c>traceroute</c>).</param>
    public static IcmpSocket Open(IPAddress target, string tool)
    {
        var family = target.AddressFamily;
        try
        {
            var socket = new Socket(family, SocketType.Raw, family == AddressFamily.InterNetworkV6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp);
            return new IcmpSocket(socket, target);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AccessDenied or SocketError.ProtocolNotSupported or SocketError.SocketNotSupported)
        {
            throw new ProbeException(
                ErrorCode.PermissionDenied,
                $"{tool} needs a raw ICMP socket, which only root or a process with CAP_NET_RAW may open: run the agent as root ({e.Message})",
                e);
        }
    }

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
            var at = Stopwatch.GetTimestamp();
            var answer = IcmpPacket.Parse(Family, _buffer.AsSpan(0, received.ReceivedBytes), Identifier, Target);
            if (answer is not null)
            {
                return new ReceivedAnswer(answer, ((IPEndPoint)received.RemoteEndPoint).Address, at);
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
