using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace CaptureActors.Probes.Sockets;

/// <summary>
/// Parses the socket tables of <c>/proc/net/{tcp,tcp6,udp,udp6}</c> (format: net/ipv4/tcp_ipv4.c get_tcp4_sock).
/// Addresses are hex of the kernel's in-memory words: a native-endian 32-bit word for IPv4, four of them for IPv6.
/// Malformed lines are skipped, never fatal: the table is read while the kernel changes it.
/// </summary>
public static class ProcNetParser
{
    public static IEnumerable<SocketEntry> Parse(string text, SocketProtocol protocol)
    {
        foreach (var line in text.Split('\n').Skip(1))
        {
            if (TryParseLine(line, protocol, out var entry))
            {
                yield return entry;
            }
        }
    }

    public static bool TryParseLine(string line, SocketProtocol protocol, out SocketEntry entry)
    {
        entry = null!;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
        if (fields.Length < 10
            || !TryParseEndPoint(fields[1], out var local)
            || !TryParseEndPoint(fields[2], out var remote)
            || !int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var state))
        {
            return false;
        }

        var queues = fields[4].Split(':');
        if (queues.Length != 2
            || !long.TryParse(queues[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var sendQueue)
            || !long.TryParse(queues[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var receiveQueue)
            || !int.TryParse(fields[7], NumberStyles.Integer, CultureInfo.InvariantCulture, out var uid)
            || !long.TryParse(fields[9], NumberStyles.Integer, CultureInfo.InvariantCulture, out var inode))
        {
            return false;
        }

        var kernelState = Enum.IsDefined(typeof(KernelSocketState), state) ? (KernelSocketState)state : KernelSocketState.Unknown;
        entry = new SocketEntry(protocol, local, remote, kernelState, sendQueue, receiveQueue, uid, inode);
        return true;
    }

    /// <summary>Parses <c>0100007F:0050</c> (127.0.0.1:80) or its 32-hex-digit IPv6 form.</summary>
    public static bool TryParseEndPoint(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon is not (8 or 32)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
            || port is < 0 or > 65535)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[colon / 2];
        for (var word = 0; word < colon / 8; word++)
        {
            if (!uint.TryParse(text.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            // The kernel printed the word as a native integer: its bytes in memory are the address bytes.
            var bytes = address.Slice(word * 4, 4);
            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            }
        }

        endPoint = new IPEndPoint(new IPAddress(address), port);
        return true;
    }
}
