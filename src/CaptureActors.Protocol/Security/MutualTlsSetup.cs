using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace CaptureActors.Protocol.Security;

/// <summary>
/// This process's mutual TLS, as a setup of its actor system: Akka.Remote's transport gets it as a
/// <see cref="DotNettySslSetup"/> (<see cref="ToDotNetty"/>), and the download channel and anything else that needs the
/// node's certificate or the trust rule finds it with <see cref="Of"/>. One rule decides for every connection, in
/// either direction: <see cref="Accept"/>.
/// </summary>
/// <param name="peers">What every peer's certificate must be issued for: <see cref="CertificatePurpose.ClientAuth"/> on
/// an agent (its peers are consoles), <see cref="CertificatePurpose.ServerAuth"/> on a console (its peers are agents).</param>
public sealed class MutualTlsSetup(TlsCredentials credentials, RemoteTlsSettings settings, CertificatePurpose peers) : Setup, IDisposable
{
    public TlsCredentials Credentials { get; } = credentials;

    public RemoteTlsSettings Settings { get; } = settings;

    /// <summary>What a peer's certificate must be issued for.</summary>
    public CertificatePurpose Peers { get; } = peers;

    /// <summary>The setup of <paramref name="system"/>, or null when it runs without TLS.</summary>
    public static MutualTlsSetup? Of(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var setup = system.Settings.Setup.Get<MutualTlsSetup>();
        return setup.HasValue ? setup.Value : null;
    }

    /// <summary>
    /// Akka.Remote's TLS: this node's certificate, mutual authentication required, and <see cref="Accept"/> as the
    /// validator (it replaces Akka's chain check against the machine's store).
    /// </summary>
    public DotNettySslSetup ToDotNetty() =>
        new(
            Credentials.Certificate,
            suppressValidation: false,
            requireMutualAuthentication: true,
            validateCertificateHostname: Settings.ValidateCertificateHostname,
            customValidator: Validate);

    /// <summary>
    /// True when <paramref name="peer"/> may talk to this node: it chains to our CA (never the machine's store), is a
    /// leaf issued for <see cref="Peers"/> (<see cref="TlsCredentials.Admits"/>) and, with hostname validation on, names the host this side dialled (<paramref name="errors"/> from SslStream says
    /// whether it does; only an outbound connection has a host to match).
    /// </summary>
    public bool Accept(X509Certificate? peer, SslPolicyErrors errors, out string problem)
    {
        if (peer is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            problem = "the peer presented no certificate";
            return false;
        }

        using var owned = peer as X509Certificate2 is null ? new X509Certificate2(peer) : null;
        var certificate = owned ?? (X509Certificate2)peer;
        if (!Credentials.Admits(certificate, Peers, out var refused))
        {
            problem = $"certificate '{certificate.Subject}' (issuer '{certificate.Issuer}') {refused}";
            return false;
        }

        if (Settings.ValidateCertificateHostname && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problem = $"certificate '{certificate.Subject}' does not name the host dialled (validate-certificate-hostname = on)";
            return false;
        }

        problem = "";
        return true;
    }

    /// <summary>Disposes the credentials (this setup owns them).</summary>
    public void Dispose() => Credentials.Dispose();

    private bool Validate(X509Certificate2? certificate, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (Accept(certificate, errors, out var problem))
        {
            return true;
        }

        log.Warning("TLS: refused {0}: {1}", string.IsNullOrEmpty(remotePeer) ? "a peer" : remotePeer, problem);
        return false;
    }
}
