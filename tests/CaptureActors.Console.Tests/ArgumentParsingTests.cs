using System.Text.Json;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

public sealed class ArgumentParsingTests : CapturectlTest
{
    [Fact]
    public async Task Unparsable_max_size_exits_2_with_the_size_parser_message_and_starts_nothing()
    {
        var result = await Run("packetcapture", "start", "--max-size", "12XB");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("capturectl: --max-size: '12XB' is not a size", result.Error);
        Assert.Equal(0, Connector.Connections);
    }

    [Fact]
    public async Task Unparsable_duration_exits_2_with_the_duration_parser_message()
    {
        var result = await Run("packetcapture", "start", "--duration", "soon");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--duration: 'soon' is not a duration", result.Error);
    }

    [Theory]
    [InlineData("--ring", "1", "ring of 1 files is out of range: 2 to 10000 files")]
    [InlineData("--snaplen", "0", "snap length 0 is out of range")]
    [InlineData("--snaplen", "lots", "--snaplen: 'lots' is not a number of bytes")]
    [InlineData("--max-size", "1KB", "max file size 1.0 KB is out of range")]
    [InlineData("-i", "not a valid name!", "interface name 'not a valid name!' is not valid")]
    public async Task Out_of_range_settings_exit_2_with_the_validation_message(string option, string value, string message)
    {
        var result = await Run("packetcapture", "start", option, value);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Equal(0, Connector.Connections);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("packetcapture", "start", "--no-such-option")]
    [InlineData("packetcapture")]
    [InlineData("packetcapture", "delete")]
    public async Task Unknown_commands_options_and_missing_arguments_exit_2(params string[] args)
    {
        var result = await Run(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("capturectl: ", result.Error);
        Assert.Equal(0, Connector.Connections);
    }

    [Fact]
    public async Task Usage_error_with_json_prints_an_error_document_on_stdout()
    {
        var result = await Run("--json", "packetcapture", "start", "--duration", "-5s");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal("usage", error.GetProperty("code").GetString());
        Assert.Contains("--duration", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Help_exits_0_without_touching_the_agent()
    {
        var result = await Run("packetcapture", "start", "--help");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Contains("--max-size", result.Out);
        Assert.DoesNotContain("--run-detached", result.Out);
        Assert.Equal(0, Connector.Connections);
    }

    [Fact]
    public async Task Setup_options_become_an_UpdateSetup_where_none_removes_a_limit()
    {
        Respond(m => m is UpdateSetup ? new SetupReport(Statuses.Node, CaptureSettings.Default) : null);

        var result = await Run("packetcapture", "setup", "--duration", "none", "--max-size", "1.5GB", "-i", "eth0", "-i", "eth1", "--no-promisc");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        var options = Assert.Single(ReceivedOf<UpdateSetup>()).Options;
        Assert.True(options.NoMaxDuration);
        Assert.Null(options.MaxDuration);
        Assert.Equal(1536L << 20, options.MaxFileSizeBytes);
        Assert.Equal(["eth0", "eth1"], options.Interfaces);
        Assert.False(options.Promiscuous);
    }

    [Fact]
    public async Task Setup_without_options_shows_the_stored_setup()
    {
        Respond(m => m is GetSetup ? new SetupReport(Statuses.Node, CaptureSettings.Default with { Filter = "tcp port 25" }) : null);

        var result = await Run("packetcapture", "setup");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Single(ReceivedOf<GetSetup>());
        Assert.Contains("tcp port 25", result.Out);
        Assert.Contains("200.0 MB", result.Out);
    }

    [Fact]
    public async Task Global_data_dir_and_node_name_reach_the_connector()
    {
        Respond(m => m is GetCaptureStatus ? CaptureStatus.Idle("n9") : null);

        var result = await Run("packetcapture", "status", "--data-dir", "/tmp/somewhere", "--node-name", "n9");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Equal("/tmp/somewhere", Connector.LastTarget?.DataDirectory);
        Assert.Equal("n9", Connector.LastTarget?.NodeName);
    }
}
