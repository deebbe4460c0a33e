using Akka.Configuration;
using CaptureActors.Agent.Downloads;
using CaptureActors.Agent.Hosting;

namespace CaptureActors.Agent.Tests;

public sealed class DownloadChannelSettingsTests
{
    [Fact]
    public void Agent_hocon_turns_the_channel_on_with_an_ephemeral_port_and_the_documented_bounds()
    {
        var config = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, AgentHost.HoconFileName)));

        var settings = DownloadChannelSettings.From(config);

        Assert.Equal(DownloadChannelSettings.Default, settings);
        Assert.True(settings.Enabled);
        Assert.Equal(0, settings.Port);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.TicketLifetime);
    }

    [Fact]
    public void Keys_given_override_the_defaults_and_missing_ones_keep_them()
    {
        var settings = DownloadChannelSettings.From(ConfigurationFactory.ParseString("capture-agent.download { port = 4799, max-transfers = 2, idle-timeout = 5 s }"));

        Assert.Equal(DownloadChannelSettings.Default with { Port = 4799, MaxTransfers = 2, IdleTimeout = TimeSpan.FromSeconds(5) }, settings);
        Assert.Equal(DownloadChannelSettings.Default, DownloadChannelSettings.From(ConfigurationFactory.Empty));
    }

    [Theory]
    [InlineData("port = 70000")]
    [InlineData("port = -1")]
    [InlineData("max-transfers = 0")]
    [InlineData("ticket-lifetime = 0 s")]
    public void Out_of_range_values_are_refused(string hocon)
    {
        var config = ConfigurationFactory.ParseString($"capture-agent.download {{ {hocon} }}");

        Assert.Throws<ConfigurationException>(() => DownloadChannelSettings.From(config));
    }
}
