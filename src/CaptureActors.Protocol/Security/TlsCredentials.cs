using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CaptureActors.Protocol.Security;

/// <summary>
/// A node's loaded TLS identity: its certificate with private key, and the CA its peers must chain to. Peers are
/// checked against this CA alone (custom root trust), never against the machine's trust store: a certificate from a
/// public CA is no ticket into an agent.
/// </summary>
public sealed class TlsCredentials : IDisposable
{
    private TlsCredentials(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        Authorities = authorities;
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate(s) of the ca file.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>This node's subject, e.g. <c>CN=console, O=CaptureActors dev</c>.</summary>
    public string Subject => Certificate.Subject;

    internal static TlsCredentials Load(TlsFiles files)
    {
        RequireReadable(files.CertificateFile, TlsFiles.CertificateOption);
        RequireReadable(files.KeyFile, TlsFiles.KeyOption);
        SecretFiles.RequireTls(files.KeyFile, TlsFiles.KeyOption);
        RequireReadable(files.CaFile, TlsFiles.CaOption);

        X509Certificate2 certificate;
        try
        {
            using var fromPem = X509Certificate2.CreateFromPemFile(files.CertificateFile, files.KeyFile);
            // Re-import as PKCS#12 so the private key is usable by SslStream servers on every platform.
            certificate = X509CertificateLoader.LoadPkcs12(fromPem.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new TlsSetupException(
                $"{TlsFiles.CertificateOption} {files.CertificateFile} with {TlsFiles.KeyOption} {files.KeyFile}: not a PEM certificate and its matching private key ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new TlsSetupException(
                $"{TlsFiles.CertificateOption} {files.CertificateFile} with {TlsFiles.KeyOption} {files.KeyFile}: not a PEM certificate and its matching private key ({e.Message})", e);
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(files.CaFile);
        }
        catch (CryptographicException e)
        {
            certificate.Dispose();
            throw new TlsSetupException($"{TlsFiles.CaOption} {files.CaFile}: not a PEM CA certificate ({e.Message})", e);
        }

        if (authorities.Count == 0)
        {
            certificate.Dispose();
            throw new TlsSetupException($"{TlsFiles.CaOption} {files.CaFile}: holds no certificate");
        }

        var credentials = new TlsCredentials(certificate, authorities);
        if (!credentials.Chains(certificate, out var problem))
        {
            credentials.Dispose();
            throw new TlsSetupException(
                $"{TlsFiles.CertificateOption} {files.CertificateFile} is not signed by the CA in {TlsFiles.CaOption} {files.CaFile}: {problem}");
        }

        return credentials;
    }

    /// <summary>
    /// True when <paramref name="peer"/> may be this node's peer: it chains to this node's CA, is within its validity
    /// period, and is a leaf issued for <paramref name="purpose"/> (<see cref="CertificatePurposes.Allows"/>: a CA's own
    /// certificate, or an agent's presented as a console's, is refused). Otherwise <paramref name="problem"/> completes
    /// "certificate 'CN=…' …" ("is not signed by our CA: …", "is a CA certificate …"). Revocation is not checked (no
    /// CRL or OCSP in a lab or on an appliance network); keep certificate lifetimes short instead.
    /// </summary>
    public bool Admits(X509Certificate2? peer, CertificatePurpose purpose, out string problem)
    {
        if (peer is null)
        {
            problem = "the peer presented no certificate";
            return false;
        }

        if (!Chains(peer, out var chain))
        {
            problem = $"is not signed by our CA: {chain}";
            return false;
        }

        return CertificatePurposes.Allows(peer, purpose, out problem);
    }

    /// <summary>True when <paramref name="certificate"/> chains to the CA file (<paramref name="problem"/>: the chain's status otherwise).</summary>
    private bool Chains(X509Certificate2 certificate, out string problem)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        if (chain.Build(certificate))
        {
            problem = "";
            return true;
        }

        problem = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        if (problem.Length == 0)
        {
            problem = "the certificate does not chain to the configured CA";
        }

        return false;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var authority in Authorities)
        {
            authority.Dispose();
        }
    }

    private static void RequireReadable(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new TlsSetupException($"{option} {path}: no such file");
        }

        try
        {
            using var _ = File.OpenRead(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TlsSetupException($"{option} {path}: not readable by this user ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw new TlsSetupException($"{option} {path}: cannot be read ({e.Message})", e);
        }
    }
}
