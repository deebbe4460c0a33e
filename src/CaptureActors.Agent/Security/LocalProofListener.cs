using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Agent.Security;

/// <summary>
/// A plain agent's local socket (docs/authorization.md, "Local consoles"): a Unix stream socket, mode 0666 so that any
/// local user can be told why they are refused (and audited), in a directory only the agent may write
/// (<see cref="LocalSocketDirectory"/>). Each connection carries one <see cref="LocalProofRequest"/>; the kernel's word
/// for who connected (<see cref="LocalPeer"/>) goes with it to the guardian, whose <see cref="LocalProofReply"/> goes back.
/// The session token is handed over only here, to the process the kernel named; requests then carry it over the host's
/// own Akka.Remote connection, which other local users cannot read without CAP_NET_RAW.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalProofListener : IDisposable
{
    /// <summary>Connections served at once; more wait in the kernel's backlog.</summary>
    private const int MaxConcurrent = 16;

    private readonly Socket _socket;
    private readonly IActorRef _guardian;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrent);

    private LocalProofListener(string path, Socket socket, IActorRef guardian, ILoggingAdapter log)
    {
        Path = path;
        _socket = socket;
        _guardian = guardian;
        _log = log;
    }

    public string Path { get; }

    /// <summary>Binds <paramref name="path"/> (a stale socket left by a dead agent is replaced; any other file is an error) and serves.</summary>
    /// <exception cref="IOException">The socket cannot be made there; the message says why.</exception>
    public static LocalProofListener Start(string path, IActorRef guardian, ILoggingAdapter log)
    {
        ArgumentNullException.ThrowIfNull(path);
        LocalSocketDirectory.RemoveStaleSocket(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
            socket.Listen(64);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            socket.Dispose();
            throw new IOException($"cannot listen on the local socket {path}: {e.Message}", e);
        }

        var listener = new LocalProofListener(path, socket, guardian, log);
        _ = Task.Run(listener.AcceptLoopAsync);
        return listener;
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _socket.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Could not remove the local socket {0}: {1}", Path, e.Message);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                connection = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _slots.Release();
                _log.Warning("Local socket {0}: accept failed: {1}", Path, e.Message);
                continue;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(LocalProof.Timeout);
            await using var stream = new NetworkStream(connection, ownsSocket: true);
            var peer = LocalPeer.Of(connection);
            LocalProofReply reply;
            try
            {
                var request = await LocalProof.ReadAsync<LocalProofRequest>(stream, timeout.Token).ConfigureAwait(false);
                reply = await _guardian.Ask<LocalProofReply>(new LocalProofOffered(request, peer, Path), LocalProof.Timeout, timeout.Token).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                reply = new LocalProofReply(null, $"the local proof of {peer.Who} is malformed: {e.Message}");
            }

            await LocalProof.WriteAsync(stream, reply, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or AskTimeoutException or ObjectDisposedException)
        {
            _log.Debug("Local socket {0}: a connection ended early: {1}", Path, e.Message);
        }
        finally
        {
            connection.Dispose();
            _slots.Release();
        }
    }
}

/// <summary>To the guardian from <see cref="LocalProofListener"/>: a challenge presented on the local socket, and by whom. Answered by <see cref="LocalProofReply"/>.</summary>
public sealed record LocalProofOffered(LocalProofRequest Request, LocalPeer Peer, string Socket);
