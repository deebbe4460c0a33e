using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Download;

/// <summary>
/// The console's end of a node's download channel (<see cref="DownloadChannel"/>): connects to the node's host at the
/// ticket's port, presents the token and copies the bytes that follow into the .part file.
/// </summary>
public sealed class DownloadChannelClient(string host, DownloadStreamFactory? streams = null)
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A read that brings nothing for this long ends the transfer (the node's idle timeout is the same).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    public string Host { get; } = host;

    /// <summary>
    /// Receives <paramref name="ticket"/>'s bytes into <paramref name="target"/> (positioned at the ticket's offset),
    /// reporting the file offset reached to <paramref name="progress"/>. Returns how many bytes were written; when it throws
    /// (<see cref="IOException"/>, <see cref="SocketException"/>, <see cref="OperationCanceledException"/> of its own
    /// timeouts), the bytes written until then are a correct continuation of the file and stay; <paramref name="written"/>
    /// says how many.
    /// </summary>
    public async Task ReceiveAsync(DownloadTicket ticket, Stream target, Action<long>? progress, StrongBox<long> written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(written);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(ConnectTimeout);
            try
            {
                await socket.ConnectAsync(Host, ticket.Port, connect.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"no connection to {Host}:{ticket.Port} within {ConnectTimeout.TotalSeconds:0} s");
            }
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(IdleTimeout);
        await using var stream = await (streams ?? DownloadChannel.PlainStream)(socket, idle.Token).ConfigureAwait(false);
        await DownloadChannel.WriteRequestAsync(stream, ticket.Token, ticket.Name, ticket.Offset, idle.Token).ConfigureAwait(false);
        (long Offset, long Length) header;
        try
        {
            header = await DownloadChannel.ReadResponseAsync(stream, idle.Token).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new IOException($"{Host}:{ticket.Port} closed the connection without sending {ticket.Name} (ticket refused)");
        }

        if (header.Offset != ticket.Offset || header.Length != ticket.Length)
        {
            throw new IOException($"{Host}:{ticket.Port} offered {header.Length} bytes from offset {header.Offset}; the ticket says {ticket.Length} from {ticket.Offset}");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(DownloadChannel.BufferBytes);
        try
        {
            var remaining = header.Length;
            while (remaining > 0)
            {
                idle.CancelAfter(IdleTimeout);
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, DownloadChannel.BufferBytes)), idle.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"{Host}:{ticket.Port} closed the connection {remaining} bytes before the end of {ticket.Name}");
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
                written.Value += read;
                progress?.Invoke(ticket.Offset + written.Value);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
