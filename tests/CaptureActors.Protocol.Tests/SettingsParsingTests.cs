using CaptureActors.Protocol;

namespace CaptureActors.Protocol.Tests;

public sealed class SettingsParsingTests
{
    [Theory]
    [InlineData("200MB", 200L << 20)]
    [InlineData("200mb", 200L << 20)]
    [InlineData("200M", 200L << 20)]
    [InlineData("512KiB", 512L << 10)]
    [InlineData("1.5GB", 3L << 29)]
    [InlineData("4096", 4096L)]
    [InlineData("10 kb", 10L << 10)]
    [InlineData("1T", 1L << 40)]
    public void Sizes_parse_with_binary_units(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes, out var error), error);
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("", "size is empty")]
    [InlineData("0", "must be greater than zero")]
    [InlineData("0MB", "must be greater than zero")]
    [InlineData("-5MB", "is not a size")]
    [InlineData("lots", "is not a size")]
    [InlineData("200XB", "is not a size")]
    [InlineData("99999999999T", "too large")]
    public void Bad_sizes_say_what_is_wrong_and_what_is_allowed(string text, string expected)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.Contains(expected, error);
        if (expected == "is not a size")
        {
            Assert.Contains("e.g. 200MB", error);
        }
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("45", 45)]
    [InlineData("1.5s", 1.5)]
    [InlineData("500ms", 0.5)]
    public void Durations_parse(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("0s", "must be greater than zero")]
    [InlineData("0", "must be greater than zero")]
    [InlineData("-10s", "is not a duration")]
    [InlineData("ten minutes", "is not a duration")]
    [InlineData("10x", "is not a duration")]
    [InlineData("", "duration is empty")]
    public void Bad_durations_say_what_is_wrong(string text, string expected)
    {
        Assert.False(DurationText.TryParse(text, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData(5400, "1h30m")]
    [InlineData(30, "30s")]
    [InlineData(90061, "1d1h1m1s")]
    public void Durations_format_as_they_parse(int seconds, string expected)
    {
        var text = DurationText.Format(TimeSpan.FromSeconds(seconds));
        Assert.Equal(expected, text);
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text));
    }

    [Fact]
    public void Sizes_format_for_people() =>
        Assert.Equal(["512 B", "1.5 KB", "200.0 MB"], new[] { 512L, 1536L, 200L << 20 }.Select(ByteSize.Format));

    [Fact]
    public void Options_override_the_stored_setup_and_can_remove_limits()
    {
        var setup = CaptureSettings.Default with { MaxDuration = TimeSpan.FromMinutes(5), Filter = "tcp" };

        var merged = setup.With(new CaptureOptions(Interfaces: ["eth0"], NoMaxDuration: true, RingFiles: 3));

        Assert.Equal(["eth0"], merged.Interfaces);
        Assert.Equal("tcp", merged.Filter);
        Assert.Null(merged.MaxDuration);
        Assert.Equal(3, merged.RingFiles);
        Assert.Equal(CaptureSettings.Default.MaxFileSizeBytes, merged.MaxFileSizeBytes);
    }

    [Fact]
    public void Default_settings_are_valid() => Assert.Empty(CaptureSettings.Default.Validate());

    [Theory]
    [InlineData("a ring needs a max file size", new[] { "eth0" }, null, 3)]
    [InlineData("interface name 'eth0/../x' is not valid", new[] { "eth0/../x" }, 1024L * 1024, null)]
    [InlineData("interface named more than once: eth0", new[] { "eth0", "eth0" }, 1024L * 1024, null)]
    [InlineData("'any' already captures every interface", new[] { "any", "eth0" }, 1024L * 1024, null)]
    [InlineData("no interface given", new string[0], 1024L * 1024, null)]
    public void Invalid_settings_are_explained(string expected, string[] interfaces, long? size, int? ring)
    {
        var settings = CaptureSettings.Default with { Interfaces = interfaces, MaxFileSizeBytes = size, RingFiles = ring };

        Assert.Contains(settings.Validate(), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Stop_reasons_have_kebab_names_that_parse_back()
    {
        foreach (var reason in Enum.GetValues<StopReason>())
        {
            Assert.Matches("^[a-z]+(-[a-z]+)*$", reason.ToText());
            Assert.True(StopReasonText.TryParse(reason.ToText(), out var parsed));
            Assert.Equal(reason, parsed);
        }
    }
}
