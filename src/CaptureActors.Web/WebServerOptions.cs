using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Web;

/// <summary>
/// How <c>capturectl serve</c> listens and whom it lets in. Loopback needs nothing; any other address needs a credential
/// (a token, or basic auth's user and password) and HTTPS (a certificate), so no password or capture crosses a network
/// in clear.
/// </summary>
public sealed partial class WebServerOptions
{
    public const string DefaultListen = "127.0.0.1:8080";

    /// <summary>Shortest token accepted: 16 characters, so it cannot be guessed by trying.</summary>
    public const int MinTokenLength = 16;

    public required IPEndPoint Listen { get; init; }

    /// <summary>The bearer token (from <c>--token-file</c>); null: no token.</summary>
    public string? Token { get; init; }

    /// <summary>Basic auth user and password (from <c>--basic-auth-file</c>, one <c>USER:PASSWORD</c> line); null: none.</summary>
    public (string User, string Password)? Basic { get; init; }

    /// <summary>The HTTPS certificate with its private key; null: plain HTTP (loopback only).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// Names besides the loopback literals, <c>localhost</c> and the listen address that the page answers to (from
    /// <c>--allowed-host</c>, each as <see cref="ParseAllowedHost"/> returns it). Any other <c>Host</c> gets 421.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary><c>https</c> with a certificate, else <c>http</c>.</summary>
    public string Scheme => Certificate is null ? "http" : "https";

    public bool RequiresCredential => Token is not null || Basic is not null;

    public bool IsLoopback => IPAddress.IsLoopback(Listen.Address);

    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostNamePattern();

    /// <summary>
    /// Parses one <c>--allowed-host</c>: a DNS name (letters, digits, hyphens, dots) or an IP address, without port (the
    /// port is the one serve listens on). Returns it lower-cased; an IP address in its canonical form, IPv6 without brackets.
    /// </summary>
    public static string ParseAllowedHost(string text)
    {
        var name = text.Trim().ToLowerInvariant();
        var bare = name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name;
        if (IPAddress.TryParse(bare, out var address) && (bare.Contains(':', StringComparison.Ordinal) || bare.Count(c => c == '.') == 3))
        {
            return address.ToString();
        }

        return HostNamePattern().IsMatch(name) && !name.All(c => char.IsAsciiDigit(c) || c == '.')
            ? name
            : throw new WebOptionsException(
                $"--allowed-host '{text}' is not a host name: expected a DNS name (letters, digits, hyphens and dots, e.g. lab.example) "
                + "or an IP address, without port or wildcard (the port is the one serve listens on)");
    }

    [GeneratedRegex(@"^(?:\[(?<host6>[0-9A-Fa-f:.]+)\]|(?<host>[0-9.]+|localhost)):(?<port>\d{1,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex ListenPattern();

    /// <summary>Parses <c>HOST:PORT</c> (an IPv4 address, <c>[IPv6]</c> or <c>localhost</c>; port 0 picks a free one).</summary>
    public static IPEndPoint ParseListen(string text)
    {
        const string Expected = "expected HOST:PORT with an IP address, e.g. 127.0.0.1:8080, [::1]:8080 or 0.0.0.0:8443 (port 0 picks a free one)";
        var match = ListenPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new WebOptionsException($"--listen '{text}' is not an address to listen on: {Expected}");
        }

        var host = match.Groups["host6"].Success ? match.Groups["host6"].Value : match.Groups["host"].Value;
        var address = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed : null;
        var port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        if (address is null || port > 65535)
        {
            throw new WebOptionsException($"--listen '{text}' is not an address to listen on: {Expected}");
        }

        return new IPEndPoint(address, port);
    }

    /// <summary>Reads a token file: its first non-empty line, at least <see cref="MinTokenLength"/> characters.</summary>
    public static string ReadToken(string path)
    {
        var token = ReadFirstLine(path, "--token-file");
        return token.Length >= MinTokenLength && !token.Any(char.IsWhiteSpace)
            ? token
            : throw new WebOptionsException($"--token-file {path}: the token must be at least {MinTokenLength} characters without spaces (e.g. from 'openssl rand -hex 32')");
    }

    /// <summary>Reads a basic auth file: one line <c>USER:PASSWORD</c>.</summary>
    public static (string User, string Password) ReadBasic(string path)
    {
        var line = ReadFirstLine(path, "--basic-auth-file");
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < line.Length - 1
            ? (line[..colon], line[(colon + 1)..])
            : throw new WebOptionsException($"--basic-auth-file {path}: expected one line USER:PASSWORD (both non-empty)");
    }

    /// <summary>Loads a PEM certificate and its PEM private key (as <c>deploy/tls/make-dev-certs.sh</c> makes them).</summary>
    public static X509Certificate2 LoadCertificate(string certificate, string? key)
    {
        // Without --certificate-key the private key is in CERT.pem itself.
        if (SecretFiles.Problem(key ?? certificate, key is null ? "--certificate" : "--certificate-key") is { } exposed)
        {
            throw new WebOptionsException(exposed);
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
            // Kestrel on Linux wants the key in an exportable form; a PKCS#12 round trip gives that.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new WebOptionsException($"--certificate {certificate}{(key is null ? "" : $" --certificate-key {key}")}: cannot load a certificate with its private key: {e.Message}");
        }
    }

    /// <summary>Refuses what would expose the page: a non-loopback address without a credential or without HTTPS.</summary>
    public void Validate()
    {
        if (IsLoopback)
        {
            return;
        }

        var missing = new List<string>();
        if (!RequiresCredential)
        {
            missing.Add("a credential (--token-file FILE or --basic-auth-file FILE)");
        }

        if (Certificate is null)
        {
            missing.Add("HTTPS (--certificate CERT.pem --certificate-key KEY.pem)");
        }

        if (missing.Count > 0)
        {
            throw new WebOptionsException(
                $"listening on {Listen} (not loopback) needs {string.Join(" and ", missing)}; without them listen on loopback only, e.g. --listen {DefaultListen}");
        }
    }

    /// <summary>The first non-empty line of a secret file, refused when others may read it (<see cref="SecretFiles"/>).</summary>
    private static string ReadFirstLine(string path, string option)
    {
        if (SecretFiles.Problem(path, option) is { } exposed)
        {
            throw new WebOptionsException(exposed);
        }

        try
        {
            return File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)
                ?? throw new WebOptionsException($"{option} {path} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WebOptionsException($"{option}: cannot read {path}: {e.Message}");
        }
    }
}

/// <summary>A serve option is wrong; the message says what and what is allowed.</summary>
public sealed class WebOptionsException(string message) : Exception(message);
