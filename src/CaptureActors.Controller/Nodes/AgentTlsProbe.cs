using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Controller.Nodes;

/// <summary>
/// Says why an agent that did not answer refused this side's connection, when TLS is the reason: one TLS handshake to
/// the agent's port, outside Akka, run only after a failed resolve. Akka.Remote itself reports a refused handshake as
/// "association failed" or a closed channel; this names the side and the certificate at fault.
/// </summary>
public static class AgentTlsProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>After the handshake, a refused client certificate shows as the agent closing within this time.</summary>
    private static readonly TimeSpan RefusalWait = TimeSpan.FromMilliseconds(750);

    /// <summary>
    /// The TLS reason <paramref name="node"/> refused a console with <paramref name="tls"/> (null: plain TCP), or null
    /// when TLS is not why (nothing listens, or both sides agree and the failure is elsewhere).
    /// </summary>
    public static async Task<string?> DiagnoseAsync(NodeAddress node, MutualTlsSetup? tls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(Timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(node.Host, node.Port, bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return null;
        }

        X509Certificate2? agentCertificate = null;
        string? refusal = null;
        await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = node.Host,
                    ClientCertificates = tls is null ? null : [tls.Credentials.Certificate],
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    {
                        agentCertificate = certificate is null ? null : new X509Certificate2(certificate);
                        // A plain console only looks; a TLS console checks as Akka.Remote does.
                        return tls is null || tls.Accept(certificate, errors & ~SslPolicyErrors.RemoteCertificateChainErrors, out refusal);
                    },
                },
                bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // No answer in time: a slow or busy agent, not a TLS verdict.
            return null;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            if (tls is null)
            {
                // A plain console at a plain agent: TLS is not the reason.
                return null;
            }

            return refusal is not null
                ? $"mutual TLS failed: the agent's {refusal}"
                : agentCertificate is null
                    ? "mutual TLS failed: the agent does not speak TLS (a plain agent? start it with --tls-cert, --tls-key and --tls-ca, or drop them here)"
                    : $"mutual TLS failed: {e.GetBaseException().Message}";
        }
        finally
        {
            agentCertificate?.Dispose();
        }

        if (tls is null)
        {
            return $"the agent requires mutual TLS (it presented '{stream.RemoteCertificate?.Subject}') and this console talks plain TCP: give --tls-cert, --tls-key and --tls-ca";
        }

        // TLS 1.3: the agent checks this console's certificate after the client's side of the handshake is done; a
        // refusal arrives as an alert or a close on the first read. An agent that accepted waits for Akka's handshake.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RefusalWait);
        try
        {
            var buffer = new byte[1];
            var read = await stream.ReadAsync(buffer, wait.Token).ConfigureAwait(false);
            return read == 0 ? Refused(tls) : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return Refused(tls);
        }

        // The agent does not say why; what this side can see for itself is whether its certificate is a console's at all.
        static string Refused(MutualTlsSetup tls) =>
            $"mutual TLS failed: the agent refused this console's certificate '{tls.Credentials.Subject}' (issuer '{tls.Credentials.Certificate.Issuer}'): " +
            (CertificatePurposes.Allows(tls.Credentials.Certificate, CertificatePurpose.ClientAuth, out var problem)
                ? "is it signed by the agent's CA?"
                : $"it {problem}");
    }
}
