using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>Bad input to the real binary: a specific message, exit code 1 (refused) or 2 (usage), and no file touched.</summary>
public sealed class CapturectlBadInputTests : IDisposable
{
    private readonly TempDirectory _data = new("ca-bad-");
    private readonly Capturectl _ctl;

    public CapturectlBadInputTests() => _ctl = new Capturectl(_data.Path);

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Unknown_interface_is_refused_with_the_valid_ones_listed()
    {
        var result = _ctl.Run("packetcapture", "start", "-i", "nosuch0", "--duration", "2s");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'nosuch0'", result.StandardError);
        Assert.Contains("lo", result.StandardError);
        AssertNoCaptureFiles();
    }

    [Theory]
    [InlineData("udp port banana", "banana")]
    [InlineData("tcp and and", "syntax error")]
    public void Invalid_filter_is_refused_with_libpcaps_message(string filter, string expected)
    {
        var result = _ctl.Run("packetcapture", "start", "-i", "lo", "-f", filter, "--duration", "2s");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("invalid filter", result.StandardError);
        Assert.Contains(expected, result.StandardError);
        AssertNoCaptureFiles();
    }

    [Theory]
    [InlineData("--max-size", "0", "must be greater than zero")]
    [InlineData("--max-size", "-5MB", "is not a size")]
    [InlineData("--max-size", "lots", "is not a size")]
    [InlineData("--duration", "0s", "must be greater than zero")]
    [InlineData("--duration", "-10s", "is not a duration")]
    [InlineData("--duration", "soon", "is not a duration")]
    public void Bad_sizes_and_durations_are_usage_errors(string option, string value, string expected)
    {
        var result = _ctl.Run("packetcapture", "start", "-i", "lo", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        AssertNoCaptureFiles();
    }

    [Theory]
    [InlineData("delete", "../../etc/passwd", "not a capture file name")]
    [InlineData("delete", "itest_lo_20990101T000000Z_001.pcap", "no capture file named")]
    [InlineData("download", "/etc/shadow", "has no capture file of that name")]
    public void Names_that_are_not_capture_files_are_refused(string command, string name, string expected)
    {
        var result = _ctl.Run("packetcapture", command, name, "-o", _data.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
    }

    [Fact]
    public void Unknown_command_is_a_usage_error() =>
        Assert.Equal(2, _ctl.Run("packetcapture", "frobnicate").ExitCode);

    [Fact]
    public void Every_command_has_help()
    {
        foreach (var command in new[] { "packetcapture start", "packetcapture stop", "packetcapture status", "packetcapture setup", "packetcapture files", "packetcapture download", "packetcapture delete", "packetcapture clear", "interfaces" })
        {
            var result = _ctl.Run([.. command.Split(' '), "--help"]);
            Assert.True(result.ExitCode == 0, $"{command} --help: {result.StandardError}");
            Assert.Contains("Usage", result.StandardOutput);
        }
    }

    private void AssertNoCaptureFiles() =>
        Assert.False(Directory.Exists(_ctl.CaptureDirectory) && Directory.EnumerateFiles(_ctl.CaptureDirectory).Any());
}
