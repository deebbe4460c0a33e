namespace CaptureActors.Console.Tests;

/// <summary>Node options that are wrong are usage errors, found before anything connects.</summary>
public sealed class NodeOptionTests : CapturectlTest
{
    [Theory]
    [InlineData(new[] { "packetcapture", "status", "--node", "gw1" }, "--node: 'gw1' is not a node: expected NAME=HOST:PORT")]
    [InlineData(new[] { "packetcapture", "status", "--node", "a=127.0.0.1:1", "--node", "a=127.0.0.1:2" }, "node 'a' is defined twice")]
    [InlineData(new[] { "packetcapture", "status", "--node", "a=127.0.0.1:1", "--on", "b" }, "unknown node 'b': known nodes are a")]
    [InlineData(new[] { "packetcapture", "status", "--node", "a=127.0.0.1:1", "--node", "b=127.0.0.1:2" }, "2 nodes are configured: choose with --on")]
    [InlineData(new[] { "packetcapture", "status", "--all" }, "--on and --all choose among nodes given by --node or --nodes")]
    [InlineData(new[] { "packetcapture", "setup", "--node", "a=127.0.0.1:1", "--node", "b=127.0.0.1:2", "--all" }, "'setup' runs on one node at a time: choose one with --on")]
    [InlineData(new[] { "packetcapture", "status", "--nodes", "/nonexistent/nodes" }, "cannot read nodes file /nonexistent/nodes")]
    public async Task Bad_node_options_exit_2_with_what_is_wrong(string[] arguments, string message)
    {
        var result = await Run(arguments);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Equal(0, Connector.Connections);
    }

    [Fact]
    public async Task Nodes_without_any_node_configured_is_a_usage_error()
    {
        var result = await Run("nodes");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("no nodes configured", result.Error);
    }

    [Fact]
    public async Task Merge_needs_several_nodes()
    {
        var result = await Run("packetcapture", "download", "x.pcap", "--merge", "all.pcapng");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--merge combines the files of several nodes", result.Error);
    }
}
