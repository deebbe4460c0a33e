using System.Net;
using Akka.Actor;
using CaptureActors.IntegrationTests.Web;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// Issue 14, item 2: what an intruder plants in a capture directory under capture names (a symbolic link and a hard link
/// to a 0600 secret outside it, a FIFO, a directory) against real capture-agent processes, real capturectl and a real
/// <c>capturectl serve</c>: one agent with its download channel, one without (<c>capture-agent.download.enabled = off</c>:
/// every byte goes in Akka.Remote chunks, the fallback path). Nothing planted is listed, downloaded, kept or deleted;
/// each refusal names the reason; the secret's marker appears in no output, no reply and no downloaded file; a FIFO
/// hangs nothing.
/// </summary>
public sealed class PlantedFileTests : IDisposable
{
    private const string ChannelNode = "chan";
    private const string ChunksNode = "chunks";

    private readonly TempDirectory _root = new("ca-planted-");
    private readonly CaptureAgentProcess _channel;
    private readonly CaptureAgentProcess _chunks;
    private readonly PlantedEntries _plantedChannel;
    private readonly PlantedEntries _plantedChunks;

    public PlantedFileTests()
    {
        var noChannel = _root.File("no-channel.hocon");
        File.WriteAllText(noChannel, "capture-agent.download.enabled = off\n");
        _channel = CaptureAgentProcess.Start(_root.File(ChannelNode), ChannelNode);
        _chunks = CaptureAgentProcess.Start(_root.File(ChunksNode), ChunksNode, "--config", noChannel);
        _plantedChannel = new PlantedEntries(Path.Combine(_root.File(ChannelNode), "captures"), ChannelNode, _root.Path).All();
        _plantedChunks = new PlantedEntries(Path.Combine(_root.File(ChunksNode), "captures"), ChunksNode, _root.Path).All();
    }

    public void Dispose()
    {
        _channel.Dispose();
        _chunks.Dispose();
        _plantedChannel.Dispose();
        _plantedChunks.Dispose();
        _root.Dispose();
    }

    private string[] Node(CaptureAgentProcess agent, string name) => ["--node", $"{name}=127.0.0.1:{agent.Port}"];

    private static ProcessResult Ctl(string[] node, params string[] arguments)
    {
        var result = ProcessRunner.Run(Capturectl.Executable, [.. arguments, .. node], Capturectl.CommandTimeout);
        PlantedEntries.AssertNoSecret(result.StandardOutput, $"the output of capturectl {string.Join(' ', arguments)}");
        PlantedEntries.AssertNoSecret(result.StandardError, $"the errors of capturectl {string.Join(' ', arguments)}");
        return result;
    }

    public static TheoryData<string> Nodes => [ChannelNode, ChunksNode];

    private (CaptureAgentProcess Agent, PlantedEntries Planted) Pick(string node) =>
        node == ChannelNode ? (_channel, _plantedChannel) : (_chunks, _plantedChunks);

    [Theory]
    [MemberData(nameof(Nodes))]
    public void Files_lists_no_planted_entry_and_says_which_it_left_out(string node)
    {
        var (agent, planted) = Pick(node);

        var files = Ctl(Node(agent, node), "packetcapture", "files");
        var json = Ctl(Node(agent, node), "packetcapture", "files", "--json");

        Assert.True(files.ExitCode == 0, files.StandardError);
        Assert.Contains($"node {node}: no capture files", files.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"capturectl: '{planted.SymlinkName}' on node {node} is a symbolic link, not a capture file: refused (not listed)", files.StandardError, StringComparison.Ordinal);
        Assert.Contains($"'{planted.FifoName}' on node {node} is a FIFO (named pipe), not a regular file: refused (not listed)", files.StandardError, StringComparison.Ordinal);
        Assert.Contains($"'{planted.HardLinkName}' on node {node} has 2 hard links", files.StandardError, StringComparison.Ordinal);
        Assert.Contains($"'{planted.DirectoryName}' on node {node} is a directory, not a regular file: refused (not listed)", files.StandardError, StringComparison.Ordinal);
        Assert.Contains("\"files\": []", json.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"unlisted\"", json.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Nodes))]
    public void Download_of_each_planted_entry_fails_with_its_reason_and_the_secret_never_leaves(string node)
    {
        var (agent, planted) = Pick(node);
        var output = Directory.CreateDirectory(_root.File("out-" + node)).FullName;
        var expected = new Dictionary<string, string>
        {
            [planted.SymlinkName] = $"'{planted.SymlinkName}' on node {node} is a symbolic link, not a capture file: refused",
            [planted.HardLinkName] = $"'{planted.HardLinkName}' on node {node} has 2 hard links (a capture file has one; another name may be a file outside the capture directory), not a capture file: refused",
            [planted.FifoName] = $"'{planted.FifoName}' on node {node} is a FIFO (named pipe), not a regular file: refused",
            [planted.DirectoryName] = $"'{planted.DirectoryName}' on node {node} is a directory, not a regular file: refused",
        };

        foreach (var (name, message) in expected)
        {
            var download = Ctl(Node(agent, node), "packetcapture", "download", name, "-o", output);

            Assert.True(download.ExitCode == 1, $"{name}: exit {download.ExitCode}\n{download.StandardOutput}\n{download.StandardError}");
            Assert.Contains(message, download.StandardError, StringComparison.Ordinal);
        }

        // All at once through the multi-node path too (--on), where each node's refusal is named.
        var all = Ctl([.. Node(agent, node), "--on", node], ["packetcapture", "download", .. expected.Keys, "-o", output]);
        Assert.Equal(1, all.ExitCode);
        Assert.All(expected.Values, message => Assert.Contains(message, all.StandardError, StringComparison.Ordinal));

        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
        PlantedEntries.AssertNoSecretIn(output);
        planted.AssertSecretIntact();
    }

    [Theory]
    [MemberData(nameof(Nodes))]
    public async Task The_agent_itself_refuses_chunks_and_tickets_of_planted_entries(string node)
    {
        var (agent, planted) = Pick(node);
        using var client = new RemoteAgentClient();
        var target = await client.ResolveAgentAsync("127.0.0.1", agent.Port, AgentUnderTest.Bound);

        foreach (var name in planted.Names)
        {
            var chunk = await target.Ask<Protocol.CommandFailed>(new Protocol.ReadFileChunk(name, 0, Protocol.ReadFileChunk.MaxChunkBytes), AgentUnderTest.Bound);
            var ticket = await target.Ask<Protocol.CommandFailed>(new Protocol.OpenDownload(name, 0), AgentUnderTest.Bound);

            Assert.Equal(Protocol.ErrorCode.UnsafeFileName, chunk.Code);
            Assert.StartsWith($"'{name}' on node {node} ", chunk.Message, StringComparison.Ordinal);
            PlantedEntries.AssertNoSecret(chunk.Message, $"the chunk refusal of {name}");
            PlantedEntries.AssertNoSecret(ticket.Message, $"the ticket refusal of {name}");
            Assert.Contains(node == ChannelNode ? $"'{name}' on node {node} " : "has no download channel", ticket.Message, StringComparison.Ordinal);
        }

        // The agent answers on as before.
        Assert.Equal(node, (await target.Ask<Protocol.AgentIdentity>(Protocol.IdentifyAgent.Instance, AgentUnderTest.Bound)).Node);
    }

    [Theory]
    [MemberData(nameof(Nodes))]
    public void Delete_keep_and_clear_leave_planted_entries_and_their_targets_alone(string node)
    {
        var (agent, planted) = Pick(node);

        var delete = Ctl(Node(agent, node), "packetcapture", "delete", planted.SymlinkName, planted.FifoName, planted.HardLinkName);
        var keep = Ctl(Node(agent, node), "packetcapture", "keep", planted.SymlinkName);
        var clear = Ctl(Node(agent, node), "packetcapture", "clear");

        Assert.Equal(1, delete.ExitCode);
        Assert.Contains($"'{planted.SymlinkName}' on node {node} is a symbolic link, not a capture file: refused", delete.StandardError, StringComparison.Ordinal);
        Assert.Contains($"'{planted.FifoName}' on node {node} is a FIFO (named pipe), not a regular file: refused", delete.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, keep.ExitCode);
        Assert.Contains($"'{planted.SymlinkName}' on node {node} is a symbolic link, not a capture file: refused", keep.StandardError, StringComparison.Ordinal);
        Assert.True(clear.ExitCode == 0, clear.StandardError);
        Assert.All(planted.Names, name => Assert.True(Path.Exists(planted.PathOf(name)), $"{name} was removed"));
        planted.AssertSecretIntact();
    }

    [Fact]
    public async Task The_web_page_refuses_to_download_or_merge_planted_entries_and_a_merge_error_echoes_no_bytes()
    {
        // A regular file under a capture name that is not a pcap (e.g. a copy of the secret): listed, but its merge
        // failure must not quote what it holds (it once said "magic 0x746f6f72", the secret's first bytes).
        var copy = _plantedChunks.PathOf($"{ChunksNode}_lo_20991231T000000Z_005.pcap");
        File.Copy(_plantedChunks.SecretPath, copy);
        using var serve = ServeProcess.Start([.. Node(_channel, ChannelNode), .. Node(_chunks, ChunksNode)]);
        using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(60) };

        var listing = await http.GetStringAsync(new Uri("api/files", UriKind.Relative));
        Assert.DoesNotContain(_plantedChannel.SymlinkName, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(_plantedChunks.FifoName, listing, StringComparison.Ordinal);
        PlantedEntries.AssertNoSecret(listing, "the page's file list");

        foreach (var (node, planted) in new[] { (ChannelNode, _plantedChannel), (ChunksNode, _plantedChunks) })
        {
            foreach (var name in new[] { planted.SymlinkName, planted.HardLinkName, planted.FifoName })
            {
                using var download = await http.GetAsync(new Uri($"api/files/{node}/{name}", UriKind.Relative));
                var body = await download.Content.ReadAsStringAsync();
                Assert.True(download.StatusCode == HttpStatusCode.Forbidden, $"{node}/{name}: {download.StatusCode} {body}");
                Assert.Contains($"'{name}' on node {node} ", body, StringComparison.Ordinal);
                PlantedEntries.AssertNoSecret(body, $"the page's download of {node}/{name}");

                using var merge = await http.GetAsync(new Uri($"api/merged?file={node}/{name}", UriKind.Relative));
                var merged = await merge.Content.ReadAsStringAsync();
                Assert.True(merge.StatusCode == HttpStatusCode.Forbidden, $"merge {node}/{name}: {merge.StatusCode} {merged}");
                Assert.Contains(": refused", merged, StringComparison.Ordinal);
                PlantedEntries.AssertNoSecret(merged, $"the page's merge of {node}/{name}");
            }
        }

        using var mergeCopy = await http.GetAsync(new Uri($"api/merged?file={ChunksNode}/{Path.GetFileName(copy)}", UriKind.Relative));
        var failure = await mergeCopy.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, mergeCopy.StatusCode);
        Assert.Contains("not a pcap file", failure, StringComparison.Ordinal);
        PlantedEntries.AssertNoSecret(failure, "the page's merge error");
        Assert.DoesNotContain("746f6f72", failure, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("72:6f:6f:74", failure, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("root", failure, StringComparison.Ordinal);
        _plantedChunks.AssertSecretIntact();
    }
}
