namespace CaptureActors.Protocol.Tests;

public sealed class NodeTextTests
{
    [Theory]
    [InlineData("lab1", "invalid filter 'x'", "lab1: invalid filter 'x'")]
    [InlineData("lab1", "lab1: refused: packetcapture start needs role operator", "lab1: refused: packetcapture start needs role operator")]
    [InlineData("lab1", "lab10: refused", "lab1: lab10: refused")]
    [InlineData("lab1", null, "lab1: ")]
    public void The_node_is_named_once(string node, string? message, string expected) =>
        Assert.Equal(expected, NodeText.Prefixed(node, message));
}
