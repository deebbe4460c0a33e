using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;

namespace CaptureActors.Agent.Security;

/// <summary>
/// Who holds the other end of a connected Unix socket, as the kernel recorded it at connect time: SO_PEERCRED (pid,
/// uid, primary gid) and SO_PEERGROUPS (the process's supplementary groups). Nothing here comes from the peer's words.
/// </summary>
/// <param name="UserName">The uid's name in the user database, or null.</param>
public sealed record LocalPeer(int ProcessId, uint Uid, uint Gid, IReadOnlyList<uint> Groups, string? UserName)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int SoPeerGroups = 59;
    private const int MaxGroups = 65536;

    /// <summary>For the audit log and refusals: <c>alice (uid 1000)</c>, or <c>uid 1000</c> without a name.</summary>
    public string Who => UserName is null ? $"uid {Uid.ToString(CultureInfo.InvariantCulture)}" : $"{UserName} (uid {Uid.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>Reads the peer of <paramref name="socket"/> (connected, AF_UNIX).</summary>
    public static LocalPeer Of(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> credentials = stackalloc byte[12];
        if (socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) != credentials.Length)
        {
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        }

        var pid = BinaryPrimitives.ReadInt32LittleEndian(credentials);
        var uid = BinaryPrimitives.ReadUInt32LittleEndian(credentials[4..]);
        var gid = BinaryPrimitives.ReadUInt32LittleEndian(credentials[8..]);
        return new LocalPeer(pid, uid, gid, SupplementaryGroups(socket), PosixAccounts.UserName(uid));
    }

    /// <summary>SO_PEERGROUPS (Linux 4.13+); the buffer grows while the kernel says ERANGE.</summary>
    private static uint[] SupplementaryGroups(Socket socket)
    {
        for (var count = 64; count <= MaxGroups; count *= 4)
        {
            var buffer = new byte[count * sizeof(uint)];
            int length;
            try
            {
                length = socket.GetRawSocketOption(SolSocket, SoPeerGroups, buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize || e.NativeErrorCode == 34)
            {
                continue; // ERANGE: more groups than the buffer holds
            }

            var groups = new uint[length / sizeof(uint)];
            for (var i = 0; i < groups.Length; i++)
            {
                groups[i] = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i * sizeof(uint)));
            }

            return groups;
        }

        throw new SocketException((int)SocketError.MessageSize);
    }
}
