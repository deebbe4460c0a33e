using System.Runtime.InteropServices;

namespace CaptureActors.Probes.Netstat.SockDiag;

/// <summary>Netlink's header fields are in the host's byte order (not network order): read and write them as the CPU does.</summary>
internal static class HostOrder
{
    public static uint ReadUInt32(ReadOnlySpan<byte> bytes) => MemoryMarshal.Read<uint>(bytes);

    public static int ReadInt32(ReadOnlySpan<byte> bytes) => MemoryMarshal.Read<int>(bytes);

    public static ushort ReadUInt16(ReadOnlySpan<byte> bytes) => MemoryMarshal.Read<ushort>(bytes);

    public static void WriteUInt32(Span<byte> bytes, uint value) => MemoryMarshal.Write(bytes, in value);

    public static void WriteUInt16(Span<byte> bytes, ushort value) => MemoryMarshal.Write(bytes, in value);
}
