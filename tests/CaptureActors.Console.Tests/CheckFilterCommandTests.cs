using System.Text.Json;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

public sealed class CheckFilterCommandTests : CapturectlTest
{
    private const string BananaError = "invalid filter 'udp port banana': unknown port 'banana'";

    public CheckFilterCommandTests() =>
        Respond(m => m is CheckFilter check
            ? new FilterChecked(Statuses.Node, check.Filter, !check.Filter.Contains("banana", StringComparison.Ordinal), check.Filter.Contains("banana", StringComparison.Ordinal) ? BananaError : null)
            : null);

    [Fact]
    public async Task A_filter_the_node_accepts_prints_ok_and_exits_0_and_the_words_are_joined_as_tcpdump_does()
    {
        var result = await Run("packetcapture", "check-filter", "udp", "port", "53");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Equal("node1: ok", result.Out.Trim());
        Assert.Equal("", result.Error);
        Assert.Equal("udp port 53", Assert.Single(ReceivedOf<CheckFilter>()).Filter);
        Assert.Empty(ReceivedOf<StartCapture>());
        Assert.Empty(ReceivedOf<UpdateSetup>());
    }

    [Fact]
    public async Task A_filter_the_node_refuses_prints_its_libpcap_message_with_the_node_and_exits_1()
    {
        var result = await Run("packetcapture", "check-filter", "udp port banana");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Equal($"node1: {BananaError}", result.Out.Trim());
    }

    [Fact]
    public async Task Json_gives_the_filter_the_overall_verdict_and_each_nodes_verdict()
    {
        var bad = await Run("packetcapture", "check-filter", "udp port banana", "--json");
        var good = await Run("packetcapture", "check-filter", "", "--json");

        Assert.Equal(ExitCodes.Failed, bad.ExitCode);
        using (var document = JsonDocument.Parse(bad.Out))
        {
            var root = document.RootElement;
            Assert.Equal("udp port banana", root.GetProperty("filter").GetString());
            Assert.False(root.GetProperty("valid").GetBoolean());
            var node = Assert.Single(root.GetProperty("nodes").EnumerateArray());
            Assert.Equal("node1", node.GetProperty("node").GetString());
            Assert.False(node.GetProperty("valid").GetBoolean());
            Assert.Equal(BananaError, node.GetProperty("error").GetString());
        }

        Assert.Equal(ExitCodes.Done, good.ExitCode);
        using (var document = JsonDocument.Parse(good.Out))
        {
            Assert.Equal("", document.RootElement.GetProperty("filter").GetString());
            Assert.True(document.RootElement.GetProperty("valid").GetBoolean());
            Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("nodes")[0].GetProperty("error").ValueKind);
        }
    }

    [Fact]
    public async Task A_node_that_refuses_the_request_itself_exits_1_with_its_reason()
    {
        Respond(m => m is CheckFilter ? new CommandFailed(ErrorCode.Forbidden, "node1: refused: packetcapture check-filter needs a proven identity") : null);

        var result = await Run("packetcapture", "check-filter", "icmp");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Equal("capturectl: node1: refused: packetcapture check-filter needs a proven identity", result.Error.Trim());
    }

    [Fact]
    public async Task Without_an_expression_it_is_a_usage_error_and_no_node_is_asked()
    {
        var result = await Run("packetcapture", "check-filter");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Required argument missing for command: 'check-filter'", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, Connector.Connections);
    }

    [Fact]
    public async Task A_filter_over_the_length_limit_is_a_usage_error_in_the_protocols_words_and_no_node_is_asked()
    {
        var filter = new string('x', CaptureSettings.MaxFilterLength + 1);

        var result = await Run("packetcapture", "check-filter", filter);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal($"capturectl: filter is {filter.Length} characters long: at most {CaptureSettings.MaxFilterLength} are allowed", result.Error.Trim());
        Assert.Equal(0, Connector.Connections);
    }

    [Theory]
    [InlineData("check-filter")]
    [InlineData("start")]
    [InlineData("setup")]
    public async Task A_filter_with_a_control_character_is_a_usage_error_in_the_protocols_words_and_no_node_is_asked(string command)
    {
        string[] arguments = command == "check-filter" ? ["packetcapture", command, "udp\u001b[2J port 53"] : ["packetcapture", command, "-f", "udp\u001b[2J port 53"];

        var result = await Run(arguments);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(
            "filter has a control character U+001B at position 4: not allowed (only tab, newline and carriage return, which libpcap reads as spaces)",
            result.Error,
            StringComparison.Ordinal);
        Assert.Equal(0, Connector.Connections);
    }
}
