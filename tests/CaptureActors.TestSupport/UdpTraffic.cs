using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CaptureActors.TestSupport;

/// <summary>
/// Bounded UDP senders for tests. Network rule: only loopback targets here; traffic into namespaces goes through
/// <see cref="NetworkNamespaceLab.SendUdp"/>, which checks the target belongs to the lab.
/// </summary>
public static class UdpTraffic
{
    /// <summary>A UDP port on 127.0.0.1 that nothing was bound to a moment ago (the kernel's pick for port 0).</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Sends exactly <paramref name="count"/> datagrams of <paramref name="payloadBytes"/> to a loopback endpoint.</summary>
    /// <param name="packetsPerSecond">Pace; null sends as fast as possible.</param>
    /// <param name="timeout">Gives up (throws) when sending takes longer (default 60 s).</param>
    /// <returns>Datagrams sent (always <paramref name="count"/>).</returns>
    public static int Send(IPEndPoint target, int count, int payloadBytes, int? packetsPerSecond = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!IPAddress.IsLoopback(target.Address))
        {
            throw new ArgumentException($"tests send only to loopback here, not {target}", nameof(target));
        }

        return SendUnchecked(target, count, payloadBytes, packetsPerSecond, timeout);
    }

    internal static int SendUnchecked(IPEndPoint target, int count, int payloadBytes, int? packetsPerSecond, TimeSpan? timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadBytes, 65_000);
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)i;
        }

        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.SendBufferSize = 4 << 20;
        long start = Stopwatch.GetTimestamp();
        long limit = (long)((timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds * Stopwatch.Frequency);
        double ticksPerPacket = packetsPerSecond is > 0 ? (double)Stopwatch.Frequency / packetsPerSecond.Value : 0;
        for (int sent = 0; sent < count; sent++)
        {
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (elapsed > limit)
            {
                throw new TimeoutException($"sent only {sent} of {count} datagrams to {target} within {timeout}");
            }

            if (ticksPerPacket > 0)
            {
                long due = (long)(sent * ticksPerPacket);
                if (due > elapsed)
                {
                    Thread.Sleep(TimeSpan.FromSeconds((double)(due - elapsed) / Stopwatch.Frequency));
                }
            }

            SendOne(socket, payload, target);
        }

        return count;
    }

    private static void SendOne(Socket socket, byte[] payload, IPEndPoint target)
    {
        // ENOBUFS/EAGAIN under a burst: retry a bounded number of times rather than lose a datagram the test counts.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                socket.SendTo(payload, target);
                return;
            }
            catch (SocketException e) when (attempt < 1000 && e.SocketErrorCode is SocketError.NoBufferSpaceAvailable or SocketError.WouldBlock)
            {
                Thread.Sleep(1);
            }
        }
    }
}
