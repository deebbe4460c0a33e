using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace CaptureActors.Protocol;

/// <summary>
/// Turns a connected socket into the stream a download travels on. Plain TCP today (<see cref="DownloadChannel.PlainStream"/>);
/// mutual TLS (issue 6) plugs in here on both sides, returning an authenticated <see cref="System.Net.Security.SslStream"/>
/// before any byte of the handshake is exchanged.
/// </summary>
public delegate ValueTask<Stream> DownloadStreamFactory(Socket socket, CancellationToken cancellationToken);

/// <summary>A handshake that does not follow <see cref="DownloadChannel"/>'s layout.</summary>
public sealed class DownloadChannelException(string message) : IOException(message);

/// <summary>
/// The node's download channel: a TCP port beside Akka.Remote that carries only the bytes of finished files, so bulk
/// data never queues in front of control messages and does not pay Akka.Remote's per-message cost. Akka.Remote hands
/// out the permission (<see cref="OpenDownload"/> → <see cref="DownloadTicket"/>); the channel checks it.
/// <para>
/// The client sends one request, the node answers with one header and then exactly <c>Length</c> bytes of the file, and
/// closes. A request that does not match an unused, unexpired ticket (token, name and offset) is answered by closing
/// the connection. Integers are big-endian.
/// </para>
/// <code>
/// request:  "CADL" (4) | version 1 (1) | token (32) | offset (int64) | name length n (1, 1..255) | name (n, ASCII)
/// response: "CADL" (4) | version 1 (1) | offset (int64) | length (int64) | length bytes of the file from offset
/// </code>
/// </summary>
public static class DownloadChannel
{
    public const byte Version = 1;

    /// <summary>Length of a ticket's token: 256 random bits.</summary>
    public const int TokenBytes = 32;

    public const int MaxNameBytes = 255;

    /// <summary>Buffer for reading and writing file bytes: large writes keep the per-call cost out of the transfer.</summary>
    public const int BufferBytes = 1 << 20;

    private const int ResponseBytes = 4 + 1 + 8 + 8;

    private static ReadOnlySpan<byte> Magic => "CADL"u8;

    /// <summary>The plain-TCP stream (the default <see cref="DownloadStreamFactory"/>); owns the socket.</summary>
    public static ValueTask<Stream> PlainStream(Socket socket, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new NetworkStream(socket, ownsSocket: true));

    public sealed record Request(byte[] Token, string Name, long Offset);

    public static async ValueTask WriteRequestAsync(Stream stream, byte[] token, string name, long offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(token);
        var nameBytes = Encoding.ASCII.GetBytes(name);
        if (token.Length != TokenBytes || nameBytes.Length is 0 or > MaxNameBytes || offset < 0)
        {
            throw new ArgumentException("a download request needs a 32-byte token, a name of 1 to 255 ASCII bytes and an offset ≥ 0");
        }

        var buffer = new byte[4 + 1 + TokenBytes + 8 + 1 + nameBytes.Length];
        Magic.CopyTo(buffer);
        buffer[4] = Version;
        token.CopyTo(buffer, 5);
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(5 + TokenBytes), offset);
        buffer[5 + TokenBytes + 8] = (byte)nameBytes.Length;
        nameBytes.CopyTo(buffer, 5 + TokenBytes + 9);
        await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a request; throws <see cref="DownloadChannelException"/> for anything else (or <see cref="EndOfStreamException"/>).</summary>
    public static async ValueTask<Request> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var head = new byte[4 + 1 + TokenBytes + 8 + 1];
        await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
        CheckMagic(head);
        var token = head.AsSpan(5, TokenBytes).ToArray();
        var offset = BinaryPrimitives.ReadInt64BigEndian(head.AsSpan(5 + TokenBytes));
        var nameLength = head[^1];
        if (offset < 0 || nameLength == 0)
        {
            throw new DownloadChannelException($"bad request: offset {offset}, name length {nameLength}");
        }

        var name = new byte[nameLength];
        await stream.ReadExactlyAsync(name, cancellationToken).ConfigureAwait(false);
        if (name.Any(b => b is < 0x20 or > 0x7e))
        {
            throw new DownloadChannelException("bad request: the name is not printable ASCII");
        }

        return new Request(token, Encoding.ASCII.GetString(name), offset);
    }

    public static async ValueTask WriteResponseAsync(Stream stream, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[ResponseBytes];
        Magic.CopyTo(buffer);
        buffer[4] = Version;
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(5), offset);
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(13), length);
        await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the response header: the offset and length the node will send.</summary>
    public static async ValueTask<(long Offset, long Length)> ReadResponseAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[ResponseBytes];
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        CheckMagic(buffer);
        return (BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(5)), BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(13)));
    }

    private static void CheckMagic(ReadOnlySpan<byte> buffer)
    {
        if (!buffer[..4].SequenceEqual(Magic) || buffer[4] != Version)
        {
            throw new DownloadChannelException("not a CaptureActors download channel message (magic or version differ)");
        }
    }
}
