using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CaptureActors.Probes.Ping;

/// <summary>
/// A classic BPF program attached to the raw socket (SO_ATTACH_FILTER, as iputils' ping does) so that the kernel
/// queues only answers for our identifier: echo replies carrying it, and Destination Unreachable / Time Exceeded
/// quoting a request that carries it. Without it a raw socket gets a copy of every ICMP message of the namespace;
/// on a busy node (measured here: 60–70k port-unreachables a second on loopback from another test's UDP burst) the
/// socket's buffer overflows and our own replies are dropped before we can look at them.
/// </summary>
internal static class IcmpSocketFilter
{
    private const int SolSocket = 1;
    private const int SoAttachFilter = 26;
    private const uint Accept = 0x40000;

    // linux/filter.h
    private const ushort LdxByteMsh = 0xb1;   // X = 4 * (P[k] & 0xf)
    private const ushort LdByteInd = 0x50;    // A = P[X + k]
    private const ushort LdHalfInd = 0x48;    // A = P[X + k : 2]
    private const ushort LdByteAbs = 0x30;    // A = P[k]
    private const ushort LdHalfAbs = 0x28;    // A = P[k : 2]
    private const ushort JeqK = 0x15;         // A == k ? jt : jf
    private const ushort AndK = 0x54;
    private const ushort LshK = 0x64;
    private const ushort AddX = 0x0c;
    private const ushort Tax = 0x07;          // X = A
    private const ushort RetK = 0x06;

    public static void Attach(Socket socket, ushort identifier)
    {
        var program = socket.AddressFamily == AddressFamily.InterNetworkV6 ? ForIPv6(identifier) : ForIPv4(identifier);
        Attach(socket, program);
    }

    /// <summary>IPv4: the program sees the IP header at offset 0, the ICMP header after its IHL.</summary>
    public static Instruction[] ForIPv4(ushort identifier) =>
    [
        /* 0 */ new(LdxByteMsh, 0, 0, 0),        // X = outer IP header length
        /* 1 */ new(LdByteInd, 0, 0, 0),         // A = ICMP type
        /* 2 */ new(JeqK, 2, 0, 0),              // echo reply → 5
        /* 3 */ new(JeqK, 3, 0, 3),              // destination unreachable → 7
        /* 4 */ new(JeqK, 2, 10, 11),            // time exceeded → 7, else drop
        /* 5 */ new(LdHalfInd, 0, 0, 4),         // A = echo identifier
        /* 6 */ new(JeqK, 7, 8, identifier),     // ours → accept, else drop
        /* 7 */ new(LdByteInd, 0, 0, 8),         // A = quoted IP header's version/IHL
        /* 8 */ new(AndK, 0, 0, 0x0f),
        /* 9 */ new(LshK, 0, 0, 2),              // A = quoted IP header length
        /* 10 */ new(AddX, 0, 0, 0),
        /* 11 */ new(Tax, 0, 0, 0),              // X = outer IHL + quoted IHL
        /* 12 */ new(LdHalfInd, 0, 0, 8 + 4),    // A = quoted request's identifier
        /* 13 */ new(JeqK, 0, 1, identifier),
        /* 14 */ new(RetK, 0, 0, Accept),
        /* 15 */ new(RetK, 0, 0, 0),
    ];

    /// <summary>IPv6: the program sees the ICMPv6 header at offset 0; a quoted request follows its 40-byte IPv6 header.</summary>
    public static Instruction[] ForIPv6(ushort identifier) =>
    [
        /* 0 */ new(LdByteAbs, 0, 0, 0),         // A = ICMPv6 type
        /* 1 */ new(JeqK, 2, 0, 129),            // echo reply → 4
        /* 2 */ new(JeqK, 3, 0, 1),              // destination unreachable → 6
        /* 3 */ new(JeqK, 2, 5, 3),              // time exceeded → 6, else drop
        /* 4 */ new(LdHalfAbs, 0, 0, 4),         // A = echo identifier
        /* 5 */ new(JeqK, 2, 3, identifier),     // ours → accept, else drop
        /* 6 */ new(LdHalfAbs, 0, 0, 8 + 40 + 4), // A = quoted request's identifier
        /* 7 */ new(JeqK, 0, 1, identifier),
        /* 8 */ new(RetK, 0, 0, Accept),
        /* 9 */ new(RetK, 0, 0, 0),
    ];

    private static unsafe void Attach(Socket socket, Instruction[] program)
    {
        fixed (Instruction* instructions = program)
        {
            var fprog = new SockFprog { Length = (ushort)program.Length, Filter = instructions };
            socket.SetRawSocketOption(SolSocket, SoAttachFilter, new ReadOnlySpan<byte>(&fprog, sizeof(SockFprog)));
        }
    }

    /// <summary><c>struct sock_filter</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public readonly record struct Instruction(ushort Code, byte JumpTrue, byte JumpFalse, uint K);

    /// <summary><c>struct sock_fprog</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct SockFprog
    {
        public ushort Length;
        public Instruction* Filter;
    }
}
