using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CaptureActors.Protocol.Security;

/// <summary>
/// What a peer's certificate must be issued for, by what the peer is to this node: an agent's peers are consoles and
/// controllers (<see cref="ClientAuth"/>), a console's peers are agents (<see cref="ServerAuth"/>). Decided by the
/// node's role, not by which side opened the TCP connection: Akka.Remote reuses a connection both ways and may dial
/// back, and a console's certificate stays a console's whichever side dials.
/// </summary>
public enum CertificatePurpose
{
    /// <summary>extendedKeyUsage clientAuth (1.3.6.1.5.5.7.3.2): consoles, controllers, the web page's node links.</summary>
    ClientAuth,

    /// <summary>extendedKeyUsage serverAuth (1.3.6.1.5.5.7.3.1): agents.</summary>
    ServerAuth,
}

/// <summary>
/// The leaf-and-purpose half of the trust rule (the other half, the chain to our CA, is <see cref="TlsCredentials.IsTrusted"/>):
/// a peer presents its own end-entity certificate, never a CA's, issued for the purpose its role needs.
/// </summary>
public static class CertificatePurposes
{
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>The openssl name of <paramref name="purpose"/> (as written in an extfile: <c>extendedKeyUsage=clientAuth</c>).</summary>
    public static string Name(this CertificatePurpose purpose) => purpose == CertificatePurpose.ClientAuth ? "clientAuth" : "serverAuth";

    /// <summary>
    /// True when <paramref name="certificate"/> is a leaf issued for <paramref name="purpose"/>; otherwise
    /// <paramref name="problem"/> completes "certificate 'CN=…' …" with what it is instead. Refused: a CA certificate
    /// (basicConstraints CA:TRUE, or keyUsage keyCertSign), a self-signed one (a root), one without an extended key
    /// usage (RFC 5280 reads that as "any purpose"; here it would let one certificate pass as agent and as console), and
    /// one whose extended key usage lacks <paramref name="purpose"/>.
    /// </summary>
    public static bool Allows(X509Certificate2 certificate, CertificatePurpose purpose, out string problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var wanted = purpose.Name();
        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (basic is { CertificateAuthority: true })
        {
            problem = $"is a CA certificate (basicConstraints CA:TRUE), not a peer's own: present a leaf certificate issued for {wanted}";
            return false;
        }

        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            problem = $"may sign certificates (keyUsage keyCertSign), as a CA does: present a leaf certificate issued for {wanted}";
            return false;
        }

        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            problem = $"is self-signed (a root of trust), not a peer's own: present a leaf certificate issued by the CA for {wanted}";
            return false;
        }

        var extended = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (extended is null)
        {
            problem = $"has no extended key usage: issue it with extendedKeyUsage={wanted}";
            return false;
        }

        var oids = extended.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        if (!oids.Contains(purpose == CertificatePurpose.ClientAuth ? ClientAuthOid : ServerAuthOid))
        {
            var has = string.Join(", ", oids.Select(Describe));
            problem = $"is issued for {(has.Length == 0 ? "nothing" : has)}, not {wanted}: {(purpose == CertificatePurpose.ClientAuth ? "consoles and controllers" : "agents")} present certificates with extendedKeyUsage={wanted}";
            return false;
        }

        problem = "";
        return true;
    }

    private static string Describe(string? oid) => oid switch
    {
        ClientAuthOid => "clientAuth",
        ServerAuthOid => "serverAuth",
        _ => oid ?? "?",
    };
}
