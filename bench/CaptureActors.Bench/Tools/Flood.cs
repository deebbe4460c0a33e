using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CaptureActors.Bench.Tools;

/// <summary>
/// <c>flood HOST PORT COUNT PAYLOAD [PPS]</c>: sends exactly COUNT UDP datagrams of PAYLOAD bytes, paced at PPS (0 or
/// absent: as fast as possible; paced sends come in bursts of about 1 ms), and prints "sent N in S s = R pps". Bounded in count and in time (60 s). HOST must be
/// loopback or an address inside a namespace the benchmark made (the caller runs it there with ip netns exec).
/// </summary>
public static class Flood
{
    public static int Run(string[] args)
    {
        if (args is not [var host, var portText, var countText, var payloadText, .. var rest])
        {
            Console.Error.WriteLine("usage: capture-bench flood HOST PORT COUNT PAYLOAD [PPS]");
            return 2;
        }

        var target = new IPEndPoint(IPAddress.Parse(host), int.Parse(portText, CultureInfo.InvariantCulture));
        var count = int.Parse(countText, CultureInfo.InvariantCulture);
        var payload = new byte[int.Parse(payloadText, CultureInfo.InvariantCulture)];
        var pps = rest.Length > 0 ? double.Parse(rest[0], CultureInfo.InvariantCulture) : 0;
        var limit = TimeSpan.FromSeconds(60);

        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.SendBufferSize = 4 << 20;
        var address = target.Serialize();
        var clock = Stopwatch.StartNew();
        var ticksPerPacket = pps > 0 ? Stopwatch.Frequency / pps : 0;
        var sent = 0;
        var retries = 0L;
        while (sent < count && clock.Elapsed < limit)
        {
            // Paced: ahead of schedule, sleep (about 1 ms) instead of spinning, so that the generator leaves the CPU to
            // the capture; packets go out in bursts of about a millisecond's worth.
            while (ticksPerPacket > 0 && clock.ElapsedTicks < (long)(sent * ticksPerPacket) && clock.Elapsed < limit)
            {
                Thread.Sleep(1);
            }

            try
            {
                socket.SendTo(payload, SocketFlags.None, address);
                sent++;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.NoBufferSpaceAvailable or SocketError.WouldBlock or SocketError.ConnectionRefused)
            {
                retries++;
                Thread.Yield();
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sent {sent} in {seconds:0.000} s = {sent / seconds:0} pps (retries {retries})"));
        return sent == count ? 0 : 1;
    }
}
