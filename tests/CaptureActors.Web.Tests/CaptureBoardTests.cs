using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.Web.Api;
using CaptureActors.Web.Nodes;
using Xunit.Abstractions;

namespace CaptureActors.Web.Tests;

public sealed class CaptureBoardTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly CaptureOwner Owner = new("support", "console-host", 42, "web");

    private sealed class NoTransfer : IWebFileTransfer
    {
        public Task CopyAsync(WebNode node, IActorRef agent, CaptureFileInfo file, Stream destination, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> DownloadAsync(WebNode node, IActorRef agent, CaptureFileInfo file, string directory, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private CaptureBoard Board(params (string Name, CaptureRejected? Refusal)[] nodes) =>
        new(new NodeConnections(Sys, [.. nodes.Select(n => WebNode.Embedded(n.Name, Sys.ActorOf(FakeAgent.Props(n.Name, n.Refusal, TestActor))))]), new NoTransfer(), Owner);

    [Fact]
    public async Task A_start_sends_one_detached_capture_id_with_each_nodes_own_interfaces_and_the_web_owner()
    {
        var board = Board(("a", null), ("b", null));

        var result = await board.StartAsync(new StartRequest(
            ["a", "b"],
            new Dictionary<string, IReadOnlyList<string>> { ["a"] = ["lo"], ["b"] = ["eth0", "eth1"] },
            new SettingsForm(null, " udp ", "10MB", "", "none")));

        Assert.True(result.Ok, string.Join("; ", result.Nodes.Select(n => n.Message)));
        var starts = Enumerable.Range(0, 2).Select(_ => ExpectMsg<(string Node, object Start)>()).ToDictionary(s => s.Node, s => (StartCapture)s.Start);
        Assert.Equal(["lo"], starts["a"].Options.Interfaces);
        Assert.Equal(["eth0", "eth1"], starts["b"].Options.Interfaces);
        Assert.All(starts.Values, s =>
        {
            Assert.Equal(result.CaptureId, s.CaptureId);
            Assert.True(s.Detached);
            Assert.Null(s.OwnerSession);
            Assert.Equal(Owner, s.Owner);
            Assert.Equal("udp", s.Options.Filter);
            Assert.Equal(10L << 20, s.Options.MaxFileSizeBytes);
            Assert.False(s.Options.NoMaxDuration);
            Assert.Null(s.Options.MaxDuration);
            Assert.True(s.Options.NoRing);
        });

        var overview = await board.OverviewAsync();
        Assert.All(overview.Nodes, n => Assert.Equal("running", n.Capture!.State));
        Assert.All(overview.Nodes, n => Assert.Equal("web", n.Capture!.OwnerClient));
    }

    [Fact]
    public async Task An_empty_limit_keeps_the_nodes_stored_setting_and_none_removes_it()
    {
        var board = Board(("a", null), ("b", null));

        var empty = await board.StartAsync(new StartRequest(["a"], null, new SettingsForm(["lo"], "", " ", "", "")));
        Assert.True(empty.Ok, string.Join("; ", empty.Nodes.Select(n => n.Message)));
        var kept = ((StartCapture)ExpectMsg<(string Node, object Start)>().Start).Options;
        Assert.False(kept.NoMaxFileSize || kept.NoMaxDuration || kept.NoRing, kept.ToString());
        Assert.Null(kept.MaxFileSizeBytes);
        Assert.Equal(200L << 20, CaptureSettings.Default.With(kept).MaxFileSizeBytes);

        var none = await board.StartAsync(new StartRequest(["b"], null, new SettingsForm(["lo"], "", "None", " none", "NONE")));
        Assert.True(none.Ok, string.Join("; ", none.Nodes.Select(n => n.Message)));
        var removed = ((StartCapture)ExpectMsg<(string Node, object Start)>().Start).Options;
        Assert.True(removed.NoMaxFileSize && removed.NoMaxDuration && removed.NoRing, removed.ToString());
        Assert.Null(CaptureSettings.Default.With(removed).MaxFileSizeBytes);
    }

    [Fact]
    public async Task A_nodes_filter_refusal_is_put_next_to_the_filter_field_with_the_nodes_name()
    {
        var board = Board(("a", new CaptureRejected(ErrorCode.InvalidFilter, "invalid filter 'port x': unknown port 'x'")), ("b", null));

        var result = await board.StartAsync(new StartRequest(["a", "b"], null, new SettingsForm(["any"], "port x", "", "", "")));

        Assert.False(result.Ok);
        Assert.Equal(["a: invalid filter 'port x': unknown port 'x'"], result.FieldErrors["filter"]);
        Assert.Equal("filter", result.Nodes.Single(n => n.Node == "a").Field);
        Assert.True(result.Nodes.Single(n => n.Node == "b").Ok);
    }

    [Fact]
    public async Task Form_problems_are_answered_per_field_before_any_node_is_asked()
    {
        var board = Board(("a", null));

        var result = await board.StartAsync(new StartRequest(["a"], new Dictionary<string, IReadOnlyList<string>> { ["a"] = [] }, new SettingsForm(null, "", "lots", "forever", "1")));

        Assert.False(result.Ok);
        Assert.Contains("'lots' is not a size", result.FieldErrors["maxSize"][0], StringComparison.Ordinal);
        Assert.Contains("forever", result.FieldErrors["duration"][0], StringComparison.Ordinal);
        Assert.Contains(result.FieldErrors["ring"], m => m.Contains("ring of 1 files is out of range", StringComparison.Ordinal));
        Assert.Contains("no interface chosen", result.FieldErrors["interfaces"][0], StringComparison.Ordinal);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task An_unknown_node_or_no_node_is_refused_with_the_known_ones()
    {
        var board = Board(("a", null));

        var unknown = await Assert.ThrowsAsync<WebFailure>(() => board.StopAsync(new NodesRequest(["zz"])));
        Assert.Equal(404, unknown.Status);
        Assert.Equal("unknown node 'zz': known nodes are a", unknown.Message);
        var none = await Assert.ThrowsAsync<WebFailure>(() => board.StartAsync(new StartRequest([], null, new SettingsForm(null, "", "", "", ""))));
        Assert.Equal("no node chosen: tick one or more nodes", none.Message);
    }

    [Fact]
    public async Task Deleting_files_of_two_nodes_asks_each_node_for_its_own_names_and_reports_refusals()
    {
        var board = Board(("a", null), ("b", null));

        var result = await board.DeleteAsync(new DeleteRequest([new("a", "a_lo_1.pcap"), new("b", "b_lo_1.pcap"), new("b", "x.pcap")]));

        Assert.Equal([new FileRef("a", "a_lo_1.pcap"), new FileRef("b", "b_lo_1.pcap")], result.Deleted);
        Assert.Equal(["b: no capture file 'x.pcap'"], result.Errors);
    }
}
