using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using CaptureActors.Agent.Hosting;
using CaptureActors.Agent.Tests;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Download;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaptureActors.Console.Tests;

/// <summary>
/// capturectl against real capture-agent hosts on 127.0.0.1 (Akka.Remote and the download channel on ephemeral ports):
/// downloads through the channel, resumed, verified, with the fallback to chunks when the channel cannot serve.
/// </summary>
public sealed class RemoteDownloadTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("capturectl-remote-dl-");
    private readonly List<IHost> _agents = [];

    private string Output => Path.Combine(_root.Path, "out");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await agent.StopAsync(timeout.Token);
            agent.Dispose();
        }

        _root.Dispose();
    }

    private sealed record RunningAgent(string Name, int Port, string DataDirectory)
    {
        public string CaptureDirectory => Path.Combine(DataDirectory, "captures");

        public string NodeOption => $"{Name}=127.0.0.1:{Port}";
    }

    private async Task<RunningAgent> StartAgentAsync(string name, string? hocon = null)
    {
        var data = Path.Combine(_root.Path, name);
        Directory.CreateDirectory(data);
        string? config = null;
        if (hocon is not null)
        {
            config = Path.Combine(data, "extra.hocon");
            await File.WriteAllTextAsync(config, hocon);
        }

        var host = AgentHost.Build(
            new AgentHostSettings(
                new AgentOptions { NodeName = name, DataDirectory = data },
                new AgentRemoteOptions { Hostname = "127.0.0.1", Port = 0 },
                config),
            new NoCaptureEngine());
        await host.StartAsync();
        _agents.Add(host);
        var port = ((ExtendedActorSystem)host.Services.GetRequiredService<ActorSystem>()).Provider.DefaultAddress.Port!.Value;
        return new RunningAgent(name, port, data);
    }

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(bool terminal, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var connector = new NodeAgentConnector(new EmbeddedAgentConnector(() => new NoCaptureEngine()), new RemoteAgentConnector());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exit = await CapturectlApp.RunAsync(args, connector, new AppIo(stdout, stderr, terminal, false) { ForceAnsi = terminal }, AgentClient.DefaultTimeout, timeout.Token);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static JsonElement SingleDownload(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Assert.Single(document.RootElement.GetProperty("downloads").EnumerateArray().ToList()).Clone();
    }

    [Fact]
    public async Task A_finished_file_comes_over_the_download_channel_and_is_verified()
    {
        var agent = await StartAgentAsync("gw1");
        var file = FinishedCaptureFile.Write(agent.CaptureDirectory, agent.Name, 8 << 20);

        var result = await RunAsync(false, "--json", "--node", agent.NodeOption, "packetcapture", "download", file.Name, "-o", Output);

        Assert.True(result.ExitCode == ExitCodes.Done, result.Out + result.Error);
        var download = SingleDownload(result.Out);
        Assert.Equal(FileDownloader.ChannelTransport, download.GetProperty("transport").GetString());
        Assert.True(download.GetProperty("verified").GetBoolean());
        Assert.Equal(file.Sha256, download.GetProperty("sha256").GetString());
        Assert.Equal(File.ReadAllBytes(file.Path), File.ReadAllBytes(Path.Combine(Output, file.Name)));
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task A_partial_download_resumes_over_the_channel_from_the_part_file()
    {
        var agent = await StartAgentAsync("gw1");
        var file = FinishedCaptureFile.Write(agent.CaptureDirectory, agent.Name, 5 << 20);
        Directory.CreateDirectory(Output);
        var content = File.ReadAllBytes(file.Path);
        File.WriteAllBytes(Path.Combine(Output, file.Name + FileDownloader.PartSuffix), content.AsSpan(0, 3_000_001).ToArray());

        var result = await RunAsync(false, "--json", "--node", agent.NodeOption, "packetcapture", "download", file.Name, "-o", Output);

        Assert.True(result.ExitCode == ExitCodes.Done, result.Out + result.Error);
        var download = SingleDownload(result.Out);
        Assert.Equal(3_000_001, download.GetProperty("resumedFrom").GetInt64());
        Assert.Equal(FileDownloader.ChannelTransport, download.GetProperty("transport").GetString());
        Assert.True(download.GetProperty("verified").GetBoolean());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Output, file.Name)));
    }

    [Fact]
    public async Task Without_a_channel_the_file_comes_in_chunks_and_stderr_says_so_once()
    {
        var agent = await StartAgentAsync("gw1", "capture-agent.download.enabled = off");
        var file = FinishedCaptureFile.Write(agent.CaptureDirectory, agent.Name, 1 << 20);

        var result = await RunAsync(false, "--node", agent.NodeOption, "packetcapture", "download", file.Name, "-o", Output);

        Assert.True(result.ExitCode == ExitCodes.Done, result.Out + result.Error);
        Assert.Contains("SHA-256 verified", result.Out);
        Assert.Equal(File.ReadAllBytes(file.Path), File.ReadAllBytes(Path.Combine(Output, file.Name)));
        var notice = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("has no download channel", notice);
        Assert.Contains("Akka.Remote chunks", notice);
    }

    [Fact]
    public async Task When_the_channel_cannot_be_reached_the_chunks_fetch_the_file()
    {
        var agent = await StartAgentAsync("gw1");
        var file = FinishedCaptureFile.Write(agent.CaptureDirectory, agent.Name, 2 << 20);
        using var client = new RemoteAgentClient();
        var guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
        // The listener is bound to 127.0.0.1 only: 127.0.0.2 (loopback too) refuses the connection.
        var downloader = new FileDownloader(new AgentClient(guardian, agent.Name, AgentClient.DefaultTimeout), new DownloadChannelClient("127.0.0.2"));
        var info = (await guardian.Ask<FileListing>(ListFiles.Instance, TimeSpan.FromSeconds(10))).Files.Single();

        var result = await downloader.DownloadAsync(info, Output, false, null, CancellationToken.None);

        Assert.Equal(FileDownloader.ChunksTransport, result.Transport);
        Assert.Contains("127.0.0.2", result.Fallback);
        Assert.True(result.Verified);
        Assert.Equal(File.ReadAllBytes(file.Path), File.ReadAllBytes(result.Path));
    }

    [Fact]
    public async Task A_channel_lost_midway_leaves_a_correct_prefix_that_the_chunks_complete()
    {
        var agent = await StartAgentAsync("gw1");
        var file = FinishedCaptureFile.Write(agent.CaptureDirectory, agent.Name, 6 << 20);
        using var client = new RemoteAgentClient();
        var guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
        var channel = new DownloadChannelClient("127.0.0.1", (socket, _) => ValueTask.FromResult<Stream>(new FailingAfter(new NetworkStream(socket, ownsSocket: true), 2_500_000)));
        var downloader = new FileDownloader(new AgentClient(guardian, agent.Name, AgentClient.DefaultTimeout), channel);
        var info = (await guardian.Ask<FileListing>(ListFiles.Instance, TimeSpan.FromSeconds(10))).Files.Single();
        var reached = new List<long>();

        var result = await downloader.DownloadAsync(info, Output, false, reached.Add, CancellationToken.None);

        Assert.Equal(FileDownloader.ChunksTransport, result.Transport);
        Assert.Contains("failed after", result.Fallback);
        Assert.True(result.Verified);
        Assert.Equal(File.ReadAllBytes(file.Path), File.ReadAllBytes(result.Path));
        Assert.Contains(reached, r => r is > 0 and < 2_500_000);
        Assert.Equal(file.Size, reached[^1]);
    }

    [Fact]
    public async Task Downloads_from_several_nodes_all_use_the_channel_and_merge()
    {
        var a = await StartAgentAsync("gw1");
        var b = await StartAgentAsync("gw2");
        var fileA = FinishedCaptureFile.Write(a.CaptureDirectory, a.Name, 3 << 20);
        var fileB = FinishedCaptureFile.Write(b.CaptureDirectory, b.Name, 2 << 20);
        var merged = Path.Combine(Output, "all.pcapng");

        var result = await RunAsync(
            false, "--json", "--node", a.NodeOption, "--node", b.NodeOption, "packetcapture", "download", fileA.Name, fileB.Name, "--all", "-o", Output, "--merge", merged);

        Assert.True(result.ExitCode == ExitCodes.Done, result.Out + result.Error);
        using var document = JsonDocument.Parse(result.Out);
        var downloads = document.RootElement.GetProperty("downloads").EnumerateArray().ToList();
        Assert.Equal(2, downloads.Count);
        Assert.All(downloads, d => Assert.Equal(FileDownloader.ChannelTransport, d.GetProperty("transport").GetString()));
        Assert.All(downloads, d => Assert.True(d.GetProperty("verified").GetBoolean()));
        Assert.Equal(File.ReadAllBytes(fileA.Path), File.ReadAllBytes(Path.Combine(Output, "gw1", fileA.Name)));
        Assert.Equal(File.ReadAllBytes(fileB.Path), File.ReadAllBytes(Path.Combine(Output, "gw2", fileB.Name)));
        Assert.True(File.Exists(merged));
    }

    [Fact]
    public async Task On_a_terminal_several_nodes_show_one_progress_bar_per_node_and_file()
    {
        var a = await StartAgentAsync("gw1");
        var b = await StartAgentAsync("gw2");
        var fileA = FinishedCaptureFile.Write(a.CaptureDirectory, a.Name, 2 << 20);
        var fileB = FinishedCaptureFile.Write(b.CaptureDirectory, b.Name, 1 << 20);

        var shown = await RunAsync(true, "--node", a.NodeOption, "--node", b.NodeOption, "packetcapture", "download", fileA.Name, fileB.Name, "--all", "-o", Output);
        var plain = await RunAsync(false, "--node", a.NodeOption, "--node", b.NodeOption, "packetcapture", "download", fileA.Name, fileB.Name, "--all", "-o", Output + "2");

        Assert.True(shown.ExitCode == ExitCodes.Done, shown.Out + shown.Error);
        Assert.True(shown.Out.Contains($"gw1: {fileA.Name}", StringComparison.Ordinal), shown.Out);
        Assert.Contains($"gw2: {fileB.Name}", shown.Out);
        Assert.Contains("100%", shown.Out);
        Assert.True(plain.ExitCode == ExitCodes.Done, plain.Out + plain.Error);
        Assert.DoesNotContain("100%", plain.Out);
        Assert.DoesNotContain($"gw1: {fileA.Name}", plain.Out);
    }

    /// <summary>A stream whose reads fail once <paramref name="limit"/> bytes have been read: a connection lost midway.</summary>
    private sealed class FailingAfter(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= limit)
            {
                throw new IOException("connection reset (test)");
            }

            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, limit - _read)], cancellationToken);
            _read += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
