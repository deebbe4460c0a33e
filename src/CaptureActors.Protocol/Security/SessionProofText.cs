using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CaptureActors.Protocol.Security;

/// <summary>
/// What a console signs to prove its certificate to an agent (<see cref="SessionProof"/>), and the checks of that
/// signature. The signed text binds the proof to one challenge (the nonce: no replay), one agent (its node name) and
/// one session actor (its full path with the console's address: a proof relayed by another actor system is refused).
/// ECDSA keys sign with SHA-256 (IEEE P1363 format), RSA keys with RSA-PSS and SHA-256.
/// </summary>
public static class SessionProofText
{
    /// <summary>Nonce and token size.</summary>
    public const int RandomBytes = 32;

    /// <summary>How long a challenge may wait for its proof.</summary>
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromSeconds(30);

    /// <summary>The bytes signed: a fixed label, the nonce, the node name and the session actor's path.</summary>
    public static byte[] Build(ReadOnlySpan<byte> nonce, string node, string sessionPath) =>
    [
        .. "CaptureActors session proof v1\n"u8,
        .. nonce,
        .. Encoding.UTF8.GetBytes($"\n{node}\n{sessionPath}"),
    ];

    /// <summary>Signs with the certificate's private key (ECDSA or RSA).</summary>
    public static byte[] Sign(X509Certificate2 certificate, byte[] text)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var ecdsa = certificate.GetECDsaPrivateKey();
        if (ecdsa is not null)
        {
            return ecdsa.SignData(text, HashAlgorithmName.SHA256);
        }

        using var rsa = certificate.GetRSAPrivateKey()
            ?? throw new CryptographicException($"the private key of {certificate.Subject} is neither ECDSA nor RSA");
        return rsa.SignData(text, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    /// <summary>
    /// True when <paramref name="signature"/> over <paramref name="text"/> verifies with the certificate's public key and the
    /// certificate's key usage allows digital signatures. That the certificate is a console's (a leaf of our CA issued for
    /// clientAuth) is <see cref="TlsCredentials.Admits"/>'s, checked before.
    /// </summary>
    public static bool Verify(X509Certificate2 certificate, byte[] text, byte[] signature, out string problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage &&
            !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            problem = "its key usage does not allow digital signatures";
            return false;
        }

        bool valid;
        try
        {
            using var ecdsa = certificate.GetECDsaPublicKey();
            if (ecdsa is not null)
            {
                valid = ecdsa.VerifyData(text, signature, HashAlgorithmName.SHA256);
            }
            else
            {
                using var rsa = certificate.GetRSAPublicKey();
                if (rsa is null)
                {
                    problem = "its key is neither ECDSA nor RSA";
                    return false;
                }

                valid = rsa.VerifyData(text, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            }
        }
        catch (CryptographicException e)
        {
            problem = $"the signature cannot be checked ({e.Message})";
            return false;
        }

        problem = valid ? "" : "the signature does not verify with the certificate's key (wrong key, or a proof made for another challenge, node or session)";
        return valid;
    }
}
