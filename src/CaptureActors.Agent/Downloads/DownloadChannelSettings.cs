using Akka.Configuration;

namespace CaptureActors.Agent.Downloads;

/// <summary>The download channel's settings: <c>capture-agent.download</c> in <c>hocon/agent.hocon</c>, where each key is documented.</summary>
public sealed record DownloadChannelSettings(
    bool Enabled,
    int Port,
    int MaxTransfers,
    int MaxPendingTickets,
    TimeSpan TicketLifetime,
    TimeSpan HandshakeTimeout,
    TimeSpan IdleTimeout)
{
    public const string ConfigPath = "capture-agent.download";

    /// <summary>What applies when a key is not set (and in tests).</summary>
    public static readonly DownloadChannelSettings Default = new(
        Enabled: true,
        Port: 0,
        MaxTransfers: 4,
        MaxPendingTickets: 16,
        TicketLifetime: TimeSpan.FromSeconds(30),
        HandshakeTimeout: TimeSpan.FromSeconds(5),
        IdleTimeout: TimeSpan.FromSeconds(30));

    /// <summary>Reads <c>capture-agent.download</c>; keys not given keep <see cref="Default"/>. Out-of-range values throw.</summary>
    public static DownloadChannelSettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetConfig(ConfigPath);
        if (section is null || section.IsEmpty)
        {
            return Default;
        }

        var settings = new DownloadChannelSettings(
            section.GetBoolean("enabled", Default.Enabled),
            section.GetInt("port", Default.Port),
            section.GetInt("max-transfers", Default.MaxTransfers),
            section.GetInt("max-pending-tickets", Default.MaxPendingTickets),
            section.GetTimeSpan("ticket-lifetime", Default.TicketLifetime),
            section.GetTimeSpan("handshake-timeout", Default.HandshakeTimeout),
            section.GetTimeSpan("idle-timeout", Default.IdleTimeout));
        return settings.Port is < 0 or > 65535
            ? throw new ConfigurationException($"{ConfigPath}.port = {settings.Port}: a port is 0 (any free one) to 65535")
            : settings.MaxTransfers < 1 || settings.MaxPendingTickets < 1
                ? throw new ConfigurationException($"{ConfigPath}: max-transfers and max-pending-tickets must be at least 1")
                : settings.TicketLifetime <= TimeSpan.Zero || settings.HandshakeTimeout <= TimeSpan.Zero || settings.IdleTimeout <= TimeSpan.Zero
                    ? throw new ConfigurationException($"{ConfigPath}: ticket-lifetime, handshake-timeout and idle-timeout must be positive")
                    : settings;
    }
}
