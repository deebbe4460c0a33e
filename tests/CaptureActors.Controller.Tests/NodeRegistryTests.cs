using CaptureActors.Controller.Nodes;

namespace CaptureActors.Controller.Tests;

public sealed class NodeRegistryTests
{
    [Theory]
    [InlineData("gw1=10.0.0.5:4710", "gw1", "10.0.0.5", 4710, "akka.tcp://capture-agent@10.0.0.5:4710/user/agent")]
    [InlineData("lab1=127.0.0.1:4711", "lab1", "127.0.0.1", 4711, "akka.tcp://capture-agent@127.0.0.1:4711/user/agent")]
    [InlineData("v6=[::1]:4712", "v6", "::1", 4712, "akka.tcp://capture-agent@[::1]:4712/user/agent")]
    [InlineData("mail-gw.2=mx.example.net:4710", "mail-gw.2", "mx.example.net", 4710, "akka.tcp://capture-agent@mx.example.net:4710/user/agent")]
    public void Nodes_parse_into_their_agents_path(string text, string name, string host, int port, string path)
    {
        var node = NodeAddress.Parse(text);

        Assert.Equal(new NodeAddress(name, host, port), node);
        Assert.Equal(path, node.AgentPath);
    }

    [Theory]
    [InlineData("gw1", "is not a node: expected NAME=HOST:PORT")]
    [InlineData("gw1=10.0.0.5", "is not a node")]
    [InlineData("gw1=10.0.0.5:99999", "port 99999 is out of range")]
    [InlineData("gw1=10.0.0.5:0", "port 0 is out of range")]
    [InlineData("../x=10.0.0.5:4710", "is not a node")]
    [InlineData("v6=[zz::1]:4710", "is not a node")]
    public void Bad_nodes_say_what_is_expected(string text, string expected)
    {
        Assert.False(NodeAddress.TryParse(text, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_nodes_file_has_one_node_a_line_with_comments()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["# lab", "lab1=127.0.0.1:4711", "", "lab2=127.0.0.1:4712   # second"]);

            var registry = NodeRegistry.Load(["extra=127.0.0.1:4799"], [file]);

            Assert.Equal(["extra", "lab1", "lab2"], registry.Nodes.Select(n => n.Name));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Every_problem_of_the_node_options_is_reported_with_its_place()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["lab1=127.0.0.1:4711", "garbage"]);

            var error = Assert.Throws<NodeSelectionException>(() => NodeRegistry.Load(["lab1=127.0.0.1:4700", "x=y"], [file, "/nonexistent/nodes"]));

            Assert.Contains("--node: 'x=y' is not a node", error.Message);
            Assert.Contains($"{file}:1: node 'lab1' is defined twice", error.Message);
            Assert.Contains($"{file}:2: 'garbage' is not a node", error.Message);
            Assert.Contains("cannot read nodes file /nonexistent/nodes", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Selection_by_name_all_or_the_only_node()
    {
        var registry = NodeRegistry.Load(["a=127.0.0.1:1", "b=127.0.0.1:2", "c=127.0.0.1:3"], []);
        var single = NodeRegistry.Load(["a=127.0.0.1:1"], []);

        Assert.Equal(["c", "a"], registry.Select(["c,a"], false).Select(n => n.Name));
        Assert.Equal(["a", "b"], registry.Select(["a", "b", "a"], false).Select(n => n.Name));
        Assert.Equal(3, registry.Select([], true).Count);
        Assert.Equal("a", Assert.Single(single.Select([], false)).Name);
        Assert.Contains("choose with --on", Assert.Throws<NodeSelectionException>(() => registry.Select([], false)).Message);
        Assert.Equal(
            "unknown node 'zz': known nodes are a, b, c",
            Assert.Throws<NodeSelectionException>(() => registry.Select(["a,zz"], false)).Message);
    }
}
