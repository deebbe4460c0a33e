using Akka.Configuration;
using CaptureActors.Agent.Disk;

namespace CaptureActors.Agent.Tests;

public sealed class DiskGuardSettingsTests
{
    private static DiskGuardSettings Parse(string hocon) => DiskGuardSettings.From(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void Without_a_section_the_floor_is_two_percent_and_there_is_no_quota()
    {
        var settings = Parse("akka.loglevel = INFO");

        Assert.Equal(DiskGuardSettings.Default, settings);
        Assert.Equal(2_000_000, settings.Floor.Bytes(100_000_000));
        Assert.Null(settings.QuotaBytes);
    }

    [Theory]
    [InlineData("\"2GB\"", 100_000_000_000L, 2L << 30)]
    [InlineData("\"5%\"", 1_000_000L, 50_000L)]
    [InlineData("\"0.5%\"", 1_000_000L, 5_000L)]
    [InlineData("512MB", 1L << 40, 512L << 20)]
    [InlineData("none", 1_000_000L, 0L)]
    public void Floor_is_absolute_or_a_percentage_of_the_file_system(string floor, long total, long expected)
    {
        var settings = Parse($"capture-agent.disk {{ floor = {floor}, quota = \"10GB\", check-interval = 500ms }}");

        Assert.Equal(expected, settings.Floor.Bytes(total));
        Assert.Equal(10L << 30, settings.QuotaBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.CheckInterval);
    }

    [Theory]
    [InlineData("floor = \"150%\"", "capture-agent.disk.floor = '150%': a percentage must be more than 0% and less than 100%")]
    [InlineData("floor = lots", "capture-agent.disk.floor = 'lots': 'lots' is not a size")]
    [InlineData("quota = \"-1\"", "capture-agent.disk.quota = '-1'")]
    [InlineData("check-interval = 10ms", "capture-agent.disk.check-interval = 10ms: allowed are 100ms to 10m")]
    public void Bad_values_name_the_key_and_what_is_allowed(string line, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse($"capture-agent.disk {{ {line} }}"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
