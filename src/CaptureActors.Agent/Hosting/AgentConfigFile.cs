using Akka.Configuration;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Agent.Hosting;

/// <summary>
/// The checks on an agent's <c>--config FILE</c> before anything starts: it must be HOCON (<see cref="HoconSyntax"/>:
/// Akka's own parser takes nearly anything), Akka must read it, and it must not turn off a safety the agent relies on.
/// Each problem is one line naming the file and the position or the setting; the agent exits 2 (a usage error: nothing
/// was started). Everything else a file may change (log levels, timeouts, the disk guard, roles, the audit path).
/// </summary>
public static class AgentConfigFile
{
    /// <summary>Sections whose serializers and bindings the agent sets itself (<c>SafeWireHosting</c>, <c>ProtocolSerializer</c>).</summary>
    private static readonly string[] SerializationSections =
        ["akka.actor.serializers", "akka.actor.serialization-bindings", "akka.actor.serialization-identifiers"];

    /// <summary>
    /// Why <paramref name="path"/> cannot be used, or null. <paramref name="tls"/>: the agent runs with
    /// <c>--tls-*</c>, so <c>remote-tls.hocon</c>'s fixed switches apply too. <paramref name="defaults"/>: the
    /// agent's <c>agent.hocon</c> (the trusted selection paths a file may repeat but not change).
    /// </summary>
    public static string? Problem(string path, bool tls, Config defaults)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(defaults);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--config {path}: cannot be read: {e.Message}";
        }

        if (HoconSyntax.Check(text) is { } syntax)
        {
            return $"--config {path}: {syntax}";
        }

        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"--config {path}: not usable HOCON: {e.Message}";
        }

        return Unsafe(config, tls, defaults) is { } unsafeSetting ? $"--config {path}: {unsafeSetting}" : null;
    }

    /// <summary>The first setting of <paramref name="config"/> (a --config file alone) that turns off one of the agent's safeties.</summary>
    public static string? Unsafe(Config config, bool tls, Config defaults)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(defaults);
        if (config.HasPath("akka.remote.untrusted-mode") && !config.GetBoolean("akka.remote.untrusted-mode"))
        {
            return "akka.remote.untrusted-mode = off is refused: it lets any peer that reaches the port deploy actors, kill them and select any path (/system included); the agent always runs in untrusted mode";
        }

        const string Paths = "akka.remote.trusted-selection-paths";
        if (config.HasPath(Paths) && !config.GetStringList(Paths).OrderBy(p => p, StringComparer.Ordinal)
                .SequenceEqual(defaults.GetStringList(Paths).OrderBy(p => p, StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return $"{Paths} = [{string.Join(", ", config.GetStringList(Paths))}] is refused: remote peers may select only {string.Join(" and ", defaults.GetStringList(Paths))} (the agent's public actor and DeathWatch heartbeats)";
        }

        foreach (var section in SerializationSections)
        {
            if (config.HasPath(section))
            {
                var key = config.GetConfig(section).AsEnumerable().Select(kv => kv.Key).FirstOrDefault();
                return $"{section}{(key is null ? "" : $".{key}")} is refused: the agent binds its serializers itself (its protocol's allow-list and the guards that refuse Akka's type-name formats); a file may not rebind them";
            }
        }

        if (config.HasPath("akka.remote.enabled-transports"))
        {
            return "akka.remote.enabled-transports is refused: the agent listens with Akka.Remote's DotNetty TCP transport only (with mutual TLS when --tls-* is given)";
        }

        const string Ssl = "akka.remote.dot-netty.tcp.enable-ssl";
        if (config.HasPath(Ssl) && config.GetBoolean(Ssl) != tls)
        {
            return tls
                ? $"{Ssl} = off is refused: with --tls-cert, --tls-key and --tls-ca every connection is mutual TLS"
                : $"{Ssl} = on is refused: TLS is turned on by --tls-cert, --tls-key and --tls-ca, which bring the certificates";
        }

        if (tls)
        {
            try
            {
                RemoteTlsSettings.From(config);
            }
            catch (TlsSetupException e)
            {
                return e.Message;
            }
        }

        return null;
    }
}
