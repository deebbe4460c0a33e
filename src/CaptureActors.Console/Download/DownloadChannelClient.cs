using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

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
    /// The channel client for a node at <paramref name="host"/> as seen from <paramref name="system"/>: over mutual TLS
    /// when that system talks TLS to the agents (same certificate and CA, <see cref="TlsDownloadStreams"/>), plain TCP otherwise.
    /// </summary>
    public static DownloadChannelClient For(ActorSystem system, string host) =>
        new(host, MutualTlsSetup.Of(system) is { } tls ? TlsDownloadStreams.Client(tls, host) : null);

    /// <summary>
    /// Receives <paramref name="ticket"/>'s bytes and hands them, in order, to <paramref name="consume"/> (which writes
    /// and hashes them). Two 1 MiB buffers alternate, so the socket is read while the previous block is consumed.
    /// <paramref name="consumed"/> counts the bytes <paramref name="consume"/> has finished with; when this throws
    /// (<see cref="IOException"/>, <see cref="SocketException"/>, <see cref="OperationCanceledException"/> of its own
    /// timeouts) those bytes are a correct continuation of the file from the ticket's offset.
    /// </summary>
    public async Task ReceiveAsync(
        DownloadTicket ticket, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> consume, StrongBox<long> consumed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(consume);
        ArgumentNullException.ThrowIfNull(consumed);
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

        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(DownloadChannel.BufferBytes), ArrayPool<byte>.Shared.Rent(DownloadChannel.BufferBytes)];
        var consuming = Task.CompletedTask;
        try
        {
            var remaining = header.Length;
            for (var turn = 0; remaining > 0; turn ^= 1)
            {
                // Fill one buffer (or what is left of the file) while the other is being written and hashed.
                var buffer = buffers[turn];
                var want = (int)Math.Min(remaining, DownloadChannel.BufferBytes);
                var filled = 0;
                while (filled < want)
                {
                    idle.CancelAfter(IdleTimeout);
                    var read = await stream.ReadAsync(buffer.AsMemory(filled, want - filled), idle.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        await consuming.ConfigureAwait(false);
                        await Consume(buffer.AsMemory(0, filled)).ConfigureAwait(false);
                        throw new IOException($"{Host}:{ticket.Port} closed the connection {remaining - filled} bytes before the end of {ticket.Name}");
                    }

                    filled += read;
                }

                await consuming.ConfigureAwait(false);
                consuming = Consume(buffer.AsMemory(0, filled));
                remaining -= filled;
            }

            await consuming.ConfigureAwait(false);
        }
        catch
        {
            // What was handed over before the failure is written (or failed writing, which rethrows its own error).
            await consuming.ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }

        async Task Consume(ReadOnlyMemory<byte> block)
        {
            if (block.Length > 0)
            {
                await consume(block, cancellationToken).ConfigureAwait(false);
                consumed.Value += block.Length;
            }
        }
    }
}
