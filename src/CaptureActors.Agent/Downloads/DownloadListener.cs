using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Event;
using CaptureActors.Agent.Storage;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Downloads;

/// <summary>
/// The agent's download channel (<see cref="DownloadChannel"/>): a TCP listener beside Akka.Remote, on the same host,
/// that sends the bytes of finished capture files to clients holding a ticket from the file store. Every connection
/// runs as a Task on the thread pool, never on an actor thread; at most <see cref="DownloadChannelSettings.MaxTransfers"/>
/// run at once, a handshake must arrive within <see cref="DownloadChannelSettings.HandshakeTimeout"/> and a transfer
/// that makes no progress for <see cref="DownloadChannelSettings.IdleTimeout"/> is dropped. A connection without a valid
/// ticket is logged and closed; nothing else is affected.
/// </summary>
public sealed class DownloadListener : IAsyncDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly DownloadChannelSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly DownloadStreamFactory _streams;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly Task _acceptLoop;
    private int _active;
    private int _nextConnection;
    private int _refused;
    private int _completed;

    private DownloadListener(Socket socket, DownloadChannelSettings settings, ILoggingAdapter log, TimeProvider time, DownloadStreamFactory streams)
    {
        _socket = socket;
        _settings = settings;
        _log = log;
        _streams = streams;
        Tickets = new DownloadTickets(settings.TicketLifetime, settings.MaxPendingTickets, time);
        Endpoint = (IPEndPoint)socket.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint Endpoint { get; }

    public int Port => Endpoint.Port;

    public DownloadTickets Tickets { get; }

    /// <summary>Connections being served now.</summary>
    public int ActiveTransfers => Volatile.Read(ref _active);

    /// <summary>Connections refused so far (bad or unknown token, malformed handshake, too many at once).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Files sent completely so far.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>
    /// Binds <paramref name="host"/> (an address, or a name that resolves to one; <c>0.0.0.0</c>/<c>::</c> for all) at
    /// <see cref="DownloadChannelSettings.Port"/> and starts accepting. Throws <see cref="IOException"/> when the
    /// port cannot be bound.
    /// </summary>
    public static DownloadListener Start(
        string host, DownloadChannelSettings settings, ILoggingAdapter log, TimeProvider? time = null, DownloadStreamFactory? streams = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var address = IPAddress.TryParse(host, out var parsed)
            ? parsed
            : Dns.GetHostAddresses(host).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, settings.Port));
            socket.Listen(backlog: 16);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            // Said in full: the host reports only the innermost message, and the remoting port is not the one at fault.
            throw new IOException($"the download channel cannot listen on {address}:{settings.Port} ({DownloadChannelSettings.ConfigPath}.port): {e.Message}");
        }

        var listener = new DownloadListener(socket, settings, log, time ?? TimeProvider.System, streams ?? DownloadChannel.PlainStream);
        log.Info("Download channel listening on {0}{1}", listener.Endpoint, streams is null ? "" : " (TLS)");
        return listener;
    }

    /// <summary>
    /// A ticket for <paramref name="name"/> (at <paramref name="path"/>, the file <paramref name="identity"/> when given)
    /// from <paramref name="offset"/>, or null when too many wait.
    /// </summary>
    public DownloadTicket? Issue(string path, string name, long offset, long fileSize, RegularFile.Identity? identity = null) =>
        Tickets.Issue(path, name, offset, fileSize, identity) is { } ticket
            ? new DownloadTicket(name, offset, fileSize, Port, ticket.Token, ticket.ExpiresAt)
            : null;

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        var all = Task.WhenAll([_acceptLoop, .. _connections.Values]);
        await Task.WhenAny(all, Task.Delay(StopWait)).ConfigureAwait(false);
        _stop.Dispose();
        _log.Info("Download channel on {0} stopped", Endpoint);
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Transient (e.g. the peer reset before accept, or out of descriptors): pause, then go on.
                _log.Warning("Download channel: accept failed: {0}", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (Interlocked.Increment(ref _active) > _settings.MaxTransfers)
            {
                Interlocked.Decrement(ref _active);
                Interlocked.Increment(ref _refused);
                _log.Warning("Download channel: refused {0}: {1} transfers already run", client.RemoteEndPoint, _settings.MaxTransfers);
                client.Dispose();
                continue;
            }

            var id = Interlocked.Increment(ref _nextConnection);
            var serve = ServeAndReleaseAsync(client, id, token);
            _connections[id] = serve;
            if (serve.IsCompleted)
            {
                _connections.TryRemove(id, out _);
            }
        }
    }

    private async Task ServeAndReleaseAsync(Socket client, int id, CancellationToken stopping)
    {
        try
        {
            await Task.Yield();
            await ServeAsync(client, stopping).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            _connections.TryRemove(id, out _);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        var remote = client.RemoteEndPoint;
        DownloadTickets.Ticket? ticket = null;
        try
        {
            client.NoDelay = true;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            deadline.CancelAfter(_settings.HandshakeTimeout);
            await using var stream = await _streams(client, deadline.Token).ConfigureAwait(false);
            var request = await DownloadChannel.ReadRequestAsync(stream, deadline.Token).ConfigureAwait(false);
            ticket = Tickets.Redeem(request.Token, request.Name, request.Offset, out var refusal);
            if (ticket is null)
            {
                Interlocked.Increment(ref _refused);
                _log.Warning("Download channel: refused {0} asking for {1}: {2}", remote, request.Name, refusal);
                return;
            }

            // A regular file, not followed through a link, and the very file the store checked (RegularFile). Asynchronous:
            // SendPacketsElement requires it (sendfile below).
            await using var file = RegularFile.OpenRead(ticket.Path, ticket.Identity, FileOptions.SequentialScan | FileOptions.Asynchronous, bufferSize: 0);
            if (file.Length != ticket.FileSize)
            {
                Interlocked.Increment(ref _refused);
                _log.Warning("Download channel: {0} is {1} bytes now, {2} when the ticket was issued: not sent to {3}", ticket.Name, file.Length, ticket.FileSize, remote);
                return;
            }

            file.Position = ticket.Offset;
            var length = ticket.FileSize - ticket.Offset;
            var clock = Stopwatch.StartNew();
            await DownloadChannel.WriteResponseAsync(stream, ticket.Offset, length, deadline.Token).ConfigureAwait(false);
            if (stream is NetworkStream)
            {
                // Plain TCP: the kernel copies from the page cache to the socket (sendfile), no pass through our buffers.
                await SendFileAsync(client, file, ticket.Offset, length, stopping).ConfigureAwait(false);
            }
            else
            {
                await SendAsync(file, stream, length, stopping).ConfigureAwait(false);
            }
            Interlocked.Increment(ref _completed);
            _log.Info(
                "Download channel: sent {0} from offset {1} ({2} bytes) to {3} in {4:0.000} s",
                ticket.Name, ticket.Offset, length, remote, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or UnauthorizedAccessException)
        {
            if (ticket is null)
            {
                Interlocked.Increment(ref _refused);
            }

            var what = e is OperationCanceledException
                ? stopping.IsCancellationRequested ? "the agent is stopping" : "timed out"
                : e.Message;
            _log.Warning("Download channel: connection from {0}{1} ended: {2}", remote, ticket is null ? "" : $" for {ticket.Name}", what);
        }
        catch (Exception e)
        {
            // Nothing may escape unseen from a connection's task; the listener and the agent go on.
            _log.Error(e, "Download channel: connection from {0}{1} failed", remote, ticket is null ? "" : $" for {ticket.Name}");
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>
    /// Sends <paramref name="length"/> bytes from <paramref name="offset"/> with sendfile, in slices of 16 MiB; each slice
    /// must be sent within the idle timeout, or the connection is closed.
    /// </summary>
    private async Task SendFileAsync(Socket socket, FileStream file, long offset, long length, CancellationToken stopping)
    {
        const int Slice = 16 << 20;
        using var args = new SocketAsyncEventArgs();
        TaskCompletionSource? sent = null;
        args.Completed += (_, _) => sent?.TrySetResult();
        var end = offset + length;
        for (var position = offset; position < end;)
        {
            var count = (int)Math.Min(Slice, end - position);
            args.SendPacketsElements = [new SendPacketsElement(file, position, count)];
            sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!socket.SendPacketsAsync(args))
            {
                sent.TrySetResult();
            }

            try
            {
                await sent.Task.WaitAsync(_settings.IdleTimeout, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Closing the socket ends the pending send; the completion then comes with an error nobody waits for.
                socket.Dispose();
                throw new OperationCanceledException(e.Message, e, stopping);
            }

            if (args.SocketError != SocketError.Success)
            {
                throw new SocketException((int)args.SocketError);
            }

            position += count;
        }
    }

    /// <summary>Copies <paramref name="length"/> bytes in 1 MiB writes (a stream that is not plain TCP, e.g. TLS); each write must complete within the idle timeout.</summary>
    private async Task SendAsync(FileStream file, Stream stream, long length, CancellationToken stopping)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DownloadChannel.BufferBytes);
        try
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var remaining = length;
            while (remaining > 0)
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, DownloadChannel.BufferBytes)), stopping).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"the file ended {remaining} bytes early");
                }

                idle.CancelAfter(_settings.IdleTimeout);
                await stream.WriteAsync(buffer.AsMemory(0, read), idle.Token).ConfigureAwait(false);
                remaining -= read;
            }

            idle.CancelAfter(_settings.IdleTimeout);
            await stream.FlushAsync(idle.Token).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
