using Akka.Configuration;

namespace CaptureActors.Protocol.Security;

/// <summary>
/// The TLS switches of <c>hocon/remote-tls.hocon</c> (<c>akka.remote.dot-netty.tcp.ssl</c>), read before the actor
/// system starts because they go into its <see cref="MutualTlsSetup"/>. Mutual authentication and validation are fixed
/// on: a configuration that turns either off is a <see cref="TlsSetupException"/>.
/// </summary>
/// <param name="ValidateCertificateHostname">A console also checks that the agent's certificate names the host it dialled.</param>
public sealed record RemoteTlsSettings(bool ValidateCertificateHostname)
{
    /// <summary>The file beside every executable (copied by CaptureActors.Protocol).</summary>
    public const string HoconFileName = "remote-tls.hocon";

    public const string SslPath = "akka.remote.dot-netty.tcp.ssl";

    /// <summary><c>remote-tls.hocon</c> beside the executable.</summary>
    public static string HoconFile => Path.Combine(AppContext.BaseDirectory, HoconFileName);

    /// <summary>
    /// Reads <c>remote-tls.hocon</c> with <paramref name="overrideFile"/> (an agent's <c>--config</c>) over it.
    /// </summary>
    public static RemoteTlsSettings Load(string? overrideFile = null)
    {
        var config = ConfigurationFactory.ParseString(File.ReadAllText(HoconFile));
        if (overrideFile is not null)
        {
            config = ConfigurationFactory.ParseString(File.ReadAllText(overrideFile)).WithFallback(config);
        }

        return From(config);
    }

    public static RemoteTlsSettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.GetBoolean($"{SslPath}.require-mutual-authentication", true))
        {
            throw new TlsSetupException($"{SslPath}.require-mutual-authentication = off is refused: with TLS on, both ends must present a certificate of the CA");
        }

        if (config.GetBoolean($"{SslPath}.suppress-validation", false))
        {
            throw new TlsSetupException($"{SslPath}.suppress-validation = on is refused: a peer's certificate is always checked against the CA");
        }

        return new RemoteTlsSettings(config.GetBoolean($"{SslPath}.validate-certificate-hostname", false));
    }
}
