using CaptureActors.Protocol.Security;

namespace CaptureActors.Console;

/// <summary>
/// Where <c>--tls-cert/--tls-key/--tls-ca</c> come from when not given: <c>CAPTURE_TLS_CERT</c>, <c>CAPTURE_TLS_KEY</c>,
/// <c>CAPTURE_TLS_CA</c>, else <c>CAPTURE_TLS_DIR</c> (a directory made by <c>deploy/tls/make-dev-certs.sh</c>:
/// <c>console.pem</c>, <c>console.key</c>, <c>ca.pem</c>). An option on the command line wins over both, file by file,
/// so <c>--tls-cert DIR/viewer.pem --tls-key DIR/viewer.key</c> with <c>CAPTURE_TLS_DIR=DIR</c> is the viewer.
/// </summary>
public static class TlsDefaults
{
    public const string CertificateVariable = "CAPTURE_TLS_CERT";
    public const string KeyVariable = "CAPTURE_TLS_KEY";
    public const string CaVariable = "CAPTURE_TLS_CA";
    public const string DirectoryVariable = "CAPTURE_TLS_DIR";

    /// <summary>The three files, from the options, then the environment (<paramref name="environment"/>: a variable's value or null).</summary>
    public static TlsFiles? Resolve(string? certificate, string? key, string? ca, Func<string, string?> environment, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var directory = Value(environment(DirectoryVariable));
        certificate = Value(certificate) ?? Value(environment(CertificateVariable)) ?? InDirectory("console.pem");
        key = Value(key) ?? Value(environment(KeyVariable)) ?? InDirectory("console.key");
        ca = Value(ca) ?? Value(environment(CaVariable)) ?? InDirectory("ca.pem");
        return TlsFiles.FromOptions(certificate, key, ca, out problem);

        string? InDirectory(string name) => directory is null ? null : Path.Combine(directory, name);
    }

    /// <summary>As <see cref="Resolve(string?, string?, string?, Func{string, string?}, out string?)"/> with this process's environment.</summary>
    public static TlsFiles? Resolve(string? certificate, string? key, string? ca, out string? problem) =>
        Resolve(certificate, key, ca, Environment.GetEnvironmentVariable, out problem);

    private static string? Value(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
