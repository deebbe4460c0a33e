namespace CaptureActors.Protocol.Security;

/// <summary>
/// The three PEM files a node (agent or console) needs for mutual TLS: its own certificate, its private key and the CA
/// that signs every peer's certificate (<c>--tls-cert FILE --tls-key FILE --tls-ca FILE</c>, all three or none).
/// </summary>
public sealed record TlsFiles(string CertificateFile, string KeyFile, string CaFile)
{
    /// <summary>The option names, for messages and help.</summary>
    public const string CertificateOption = "--tls-cert";
    public const string KeyOption = "--tls-key";
    public const string CaOption = "--tls-ca";

    /// <summary>
    /// Builds the settings from the three options as given (null when not given): all three → files, none → null
    /// (plain TCP), some → a specific problem naming the missing ones.
    /// </summary>
    public static TlsFiles? FromOptions(string? certificate, string? key, string? ca, out string? problem)
    {
        problem = null;
        var given = new[] { (CertificateOption, certificate), (KeyOption, key), (CaOption, ca) };
        var missing = given.Where(g => string.IsNullOrWhiteSpace(g.Item2)).Select(g => g.Item1).ToList();
        if (missing.Count == 3)
        {
            return null;
        }

        if (missing.Count > 0)
        {
            problem = $"TLS needs {CertificateOption}, {KeyOption} and {CaOption} together; missing {string.Join(" and ", missing)}";
            return null;
        }

        return new TlsFiles(Path.GetFullPath(certificate!), Path.GetFullPath(key!), Path.GetFullPath(ca!));
    }

    /// <summary>Loads and checks the files; a missing, unreadable or mismatched file is a <see cref="TlsSetupException"/>.</summary>
    public TlsCredentials Load() => TlsCredentials.Load(this);
}

/// <summary>A TLS file could not be used: the message names the file and what is wrong with it.</summary>
public sealed class TlsSetupException(string message, Exception? inner = null) : Exception(message, inner);
