using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace CaptureActors.Protocol.Security;

/// <summary>
/// The download channel over mutual TLS (<see cref="DownloadStreamFactory"/>): an <see cref="SslStream"/> on each end,
/// the client's certificate required, both sides checked by <see cref="MutualTlsSetup.Accept"/> (our CA only, and the
/// host name when that is turned on). A peer that fails is refused with <see cref="TlsRefusedException"/> before any
/// byte of the channel's own handshake.
/// </summary>
public static class TlsDownloadStreams
{
    /// <summary>The agent's side: authenticates as server and requires a client certificate of our CA.</summary>
    public static DownloadStreamFactory Server(MutualTlsSetup tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var context = SslStreamCertificateContext.Create(tls.Credentials.Certificate, additionalCertificates: null, offline: true);
        return (socket, cancellationToken) => HandshakeAsync(
            socket,
            "TLS handshake",
            (stream, validate) => stream.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = context,
                    ClientCertificateRequired = true,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = validate,
                },
                cancellationToken),
            tls);
    }

    /// <summary>The console's side: presents its certificate and checks the agent's (and its name, when configured).</summary>
    public static DownloadStreamFactory Client(MutualTlsSetup tls, string host)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(host);
        var context = SslStreamCertificateContext.Create(tls.Credentials.Certificate, additionalCertificates: null, offline: true);
        return (socket, cancellationToken) => HandshakeAsync(
            socket,
            $"TLS handshake with {host}",
            (stream, validate) => stream.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    ClientCertificateContext = context,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = validate,
                },
                cancellationToken),
            tls);
    }

    /// <summary>
    /// Wraps <paramref name="socket"/> in TLS with <paramref name="authenticate"/> (server or client side), checking the
    /// peer with <see cref="MutualTlsSetup.Accept"/> (our CA only, not the machine's store); a failed handshake disposes
    /// the stream and throws <see cref="TlsRefusedException"/> naming why.
    /// </summary>
    private static async ValueTask<Stream> HandshakeAsync(
        Socket socket, string what, Func<SslStream, RemoteCertificateValidationCallback, Task> authenticate, MutualTlsSetup tls)
    {
        string? refusal = null;
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await authenticate(stream, (_, certificate, _, errors) =>
                tls.Accept(certificate, errors & ~SslPolicyErrors.RemoteCertificateChainErrors, out refusal)).ConfigureAwait(false);
            return stream;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new TlsRefusedException($"{what} failed: {refusal ?? e.Message}", e);
        }
    }
}

/// <summary>A TLS handshake failed or the peer's certificate was refused; the message says why.</summary>
public sealed class TlsRefusedException(string message, Exception? inner = null) : IOException(message, inner);
