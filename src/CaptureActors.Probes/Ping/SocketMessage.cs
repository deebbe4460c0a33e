using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CaptureActors.Probes.Ping;

/// <summary>What <see cref="SocketMessage.Receive"/> read: its length, sender, kernel times and hop limit.</summary>
/// <param name="Length">Bytes of the datagram copied into the buffer.</param>
/// <param name="From">The sender (null for messages from the error queue).</param>
/// <param name="Stamp">The kernel's software time stamp (SCM_TIMESTAMPING or SCM_TIMESTAMPNS) in wall-clock ticks, or null.</param>
/// <param name="HopLimit">The IPv6 hop limit of the datagram (IPV6_HOPLIMIT), or null.</param>
/// <param name="TimestampKey">For a transmit time stamp from the error queue: the SOF_TIMESTAMPING_OPT_ID key of the send it belongs to.</param>
public readonly record struct ReceivedMessage(int Length, IPAddress? From, long? Stamp, int? HopLimit, uint? TimestampKey);

/// <summary>
/// <c>recvmsg(2)</c> with ancillary data on a socket's descriptor, which .NET's Socket does not expose: the kernel's
/// time stamps (SO_TIMESTAMPING, SO_TIMESTAMPNS), the IPv6 hop limit, and the transmit time stamps that come back on
/// the error queue (MSG_ERRQUEUE). Linux x86-64/arm64 layouts; never blocks (MSG_DONTWAIT).
/// </summary>
public static unsafe partial class SocketMessage
{
    public const int SolSocket = 1;
    public const int SolIpv6 = 41;
    public const int SoTimestampNs = 35;
    public const int SoTimestamping = 37;
    public const int Ipv6RecvHopLimit = 51;

    /// <summary>SOF_TIMESTAMPING_TX_SOFTWARE | RX_SOFTWARE | SOFTWARE | OPT_ID | OPT_TSONLY.</summary>
    public const int TimestampingFlags = (1 << 1) | (1 << 3) | (1 << 4) | (1 << 7) | (1 << 11);

    private const int SolIp = 0;
    private const int IpRecvErr = 11;
    private const int Ipv6RecvErr = 25;
    private const int Ipv6HopLimit = 52;
    private const int MsgDontWait = 0x40;
    private const int MsgErrQueue = 0x2000;
    private const byte OriginTimestamping = 4;
    private const int ENoMsg = 42;
    private const int ControlBytes = 512;
    private const int NameBytes = 28;

    /// <summary>Reads one datagram (or, with <paramref name="errorQueue"/>, one error-queue message) if one is queued.</summary>
    /// <returns>Null when nothing is queued (or the read failed).</returns>
    public static ReceivedMessage? Receive(SafeHandle socket, Span<byte> buffer, bool errorQueue)
    {
        var control = stackalloc byte[ControlBytes];
        var name = stackalloc byte[NameBytes];
        fixed (byte* data = buffer)
        {
            var vector = new IoVector { Base = data, Length = (nuint)buffer.Length };
            var header = new MessageHeader
            {
                Name = name,
                NameLength = NameBytes,
                Vector = &vector,
                VectorLength = 1,
                Control = control,
                ControlLength = ControlBytes,
            };
            var added = false;
            socket.DangerousAddRef(ref added);
            nint read;
            try
            {
                read = RecvMsg(socket.DangerousGetHandle(), &header, MsgDontWait | (errorQueue ? MsgErrQueue : 0));
            }
            finally
            {
                if (added)
                {
                    socket.DangerousRelease();
                }
            }

            if (read < 0)
            {
                return null;
            }

            var (stamp, hopLimit, key) = ParseControl(control, (int)header.ControlLength);
            var from = errorQueue ? null : Address(name, (int)header.NameLength);
            return new ReceivedMessage((int)Math.Min(read, buffer.Length), from, stamp, hopLimit, key);
        }
    }

    private static (long? Stamp, int? HopLimit, uint? Key) ParseControl(byte* control, int length)
    {
        long? stamp = null;
        int? hopLimit = null;
        uint? key = null;
        var offset = 0;
        while (offset + sizeof(ControlHeader) <= length)
        {
            var cmsg = (ControlHeader*)(control + offset);
            var cmsgLength = (int)cmsg->Length;
            if (cmsgLength < sizeof(ControlHeader) || offset + cmsgLength > length)
            {
                break;
            }

            var payload = control + offset + sizeof(ControlHeader);
            var payloadLength = cmsgLength - sizeof(ControlHeader);
            switch (cmsg->Level, cmsg->Type)
            {
                case (SolSocket, SoTimestamping) when payloadLength >= 16:
                case (SolSocket, SoTimestampNs) when payloadLength >= 16:
                    var seconds = *(long*)payload;
                    var nanoseconds = *(long*)(payload + 8);
                    if (seconds > 0)
                    {
                        stamp = DateTime.UnixEpoch.Ticks + (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100);
                    }

                    break;
                case (SolIpv6, Ipv6HopLimit) when payloadLength >= 4:
                    hopLimit = *(int*)payload;
                    break;
                case (SolIp, IpRecvErr) when payloadLength >= 16:
                case (SolIpv6, Ipv6RecvErr) when payloadLength >= 16:
                    // struct sock_extended_err: ee_errno, ee_origin, ee_type, ee_code, ee_pad, ee_info, ee_data.
                    if (*(uint*)payload == ENoMsg && payload[4] == OriginTimestamping)
                    {
                        key = *(uint*)(payload + 12);
                    }

                    break;
            }

            offset += (cmsgLength + 7) & ~7;
        }

        return (stamp, hopLimit, key);
    }

    private static IPAddress? Address(byte* name, int length)
    {
        var family = *(ushort*)name;
        if (family == (ushort)AddressFamily.InterNetwork && length >= 8)
        {
            return new IPAddress(new ReadOnlySpan<byte>(name + 4, 4));
        }

        // AF_INET6 is 10 on Linux (AddressFamily.InterNetworkV6 is Windows' 23).
        if (family == 10 && length >= 28)
        {
            return new IPAddress(new ReadOnlySpan<byte>(name + 8, 16), *(uint*)(name + 24));
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint RecvMsg(nint socket, MessageHeader* message, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vector;
        public nuint VectorLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ControlHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }
}
