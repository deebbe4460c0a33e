using System.Net.Sockets;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Controller.Sessions;

/// <summary>
/// The console's side of a plain agent's local proof (docs/authorization.md, "Local consoles"): presents the challenge's
/// nonce and the session actor's path on the agent's Unix socket; the agent asks the kernel who connected and answers
/// with the session or a refusal.
/// </summary>
public static class LocalProofClient
{
    /// <summary>The agent's answer; a socket that cannot be reached is a refusal saying why (another host, no permission, gone).</summary>
    public static async Task<LocalProofReply> ProveAsync(string node, SessionChallenge challenge, string sessionActor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var path = challenge.LocalProofSocket ?? throw new ArgumentException("the challenge names no local socket", nameof(challenge));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LocalProof.Timeout);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await LocalProof.WriteAsync(stream, new LocalProofRequest(challenge.Nonce, sessionActor), timeout.Token).ConfigureAwait(false);
            return await LocalProof.ReadAsync<LocalProofReply>(stream, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            var why = e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.ConnectionRefused when !File.Exists(path) => "this host has no such socket",
                SocketError.AccessDenied => "permission denied",
                _ => e.Message,
            };
            return Unreachable(node, path, why);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unreachable(node, path, $"no answer within {DurationText.Format(LocalProof.Timeout)}");
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return Unreachable(node, path, e.Message);
        }
    }

    private static LocalProofReply Unreachable(string node, string path, string why) => new(null,
        $"node '{node}' runs without TLS and serves only consoles of its own host, proven on its local socket {path} ({why}): " +
        "run capturectl on that host as root or a member of the agent's group, or give the agent TLS (--tls-cert, --tls-key, --tls-ca) to reach it from elsewhere");
}
