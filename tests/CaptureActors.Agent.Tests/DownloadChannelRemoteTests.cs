using System.Diagnostics;
using System.Security.Cryptography;
using Akka.Actor;
using CaptureActors.Agent.Hosting;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaptureActors.Agent.Tests;

/// <summary>
/// The capture-agent host as it runs (Akka.Remote and the download channel on 127.0.0.1, ephemeral ports) and a second
/// actor system asking it over TCP: tickets over Akka.Remote, bytes over the channel, control never held up by a download.
/// </summary>
public sealed class DownloadChannelRemoteTests : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _data = new("ca-dl-remote-");
    private readonly RemoteAgentClient _client = new();
    private IHost? _agent;

    public void Dispose()
    {
        _client.Dispose();
        if (_agent is not null)
        {
            _agent.StopAsync().Wait(TimeSpan.FromSeconds(20));
            _agent.Dispose();
        }

        _data.Dispose();
    }

    private string CaptureDirectory => Path.Combine(_data.Path, "captures");

    private async Task<IActorRef> StartAgentAsync(string? hocon = null)
    {
        string? config = null;
        if (hocon is not null)
        {
            config = _data.File("extra.hocon");
            await File.WriteAllTextAsync(config, hocon);
        }

        var settings = new AgentHostSettings(
            new AgentOptions { NodeName = "remote1", DataDirectory = _data.Path, CounterInterval = TimeSpan.FromMilliseconds(100) },
            new AgentRemoteOptions { Hostname = "127.0.0.1", Port = 0 },
            config);
        _agent = AgentHost.Build(settings, new FakeCaptureEngine());
        await _agent.StartAsync();
        var port = ((ExtendedActorSystem)_agent.Services.GetRequiredService<ActorSystem>()).Provider.DefaultAddress.Port!.Value;
        return await _client.ResolveAgentAsync("127.0.0.1", port);
    }

    [Fact]
    public async Task A_ticket_asked_over_akka_remote_fetches_the_file_over_the_channel_with_its_sidecar_sha256()
    {
        var agent = await StartAgentAsync();
        var file = FinishedCaptureFile.Write(CaptureDirectory, "remote1", 6 << 20);

        var ticket = await agent.Ask<DownloadTicket>(new OpenDownload(file.Name, 0), AskTimeout);
        var (_, length, body, sha256) = await RawChannelClient.DownloadAsync(ticket.Port, ticket);

        Assert.NotEqual(0, ticket.Port);
        Assert.Equal(file.Size, ticket.FileSize);
        Assert.Equal(file.Size, length);
        Assert.Equal(file.Size, body.Length);
        Assert.Equal(file.Sha256, sha256);
        Assert.Equal(file.Sha256, (await agent.Ask<FileListing>(ListFiles.Instance, AskTimeout)).Files.Single().Sha256);
    }

    [Fact]
    public async Task Status_and_stop_answer_at_once_while_a_download_is_stalled()
    {
        var agent = await StartAgentAsync();
        var file = FinishedCaptureFile.Write(CaptureDirectory, "remote1", 24 << 20);
        await agent.Ask<CaptureStarted>(new StartCapture(new CaptureOptions(Interfaces: ["eth0"]), new CaptureOwner("t", "h", 1, "test"), true), AskTimeout);
        var ticket = await agent.Ask<DownloadTicket>(new OpenDownload(file.Name, 0), AskTimeout);
        await using var download = await RawChannelClient.ConnectAsync(ticket.Port, receiveBuffer: 4096);
        await download.SendRequestAsync(ticket.Token, ticket.Name, 0);
        await download.ReadHeaderAsync();

        // The channel now waits on a client that reads nothing: control must not notice.
        var clock = Stopwatch.StartNew();
        var status = await agent.Ask<CaptureStatus>(GetCaptureStatus.Instance, AskTimeout);
        var statusTime = clock.Elapsed;
        var identity = await agent.Ask<AgentIdentity>(IdentifyAgent.Instance, AskTimeout);
        clock.Restart();
        // The file store that issued the ticket is not busy with the transfer either.
        var listing = await agent.Ask<FileListing>(ListFiles.Instance, AskTimeout);
        var listTime = clock.Elapsed;
        clock.Restart();
        var stopped = await agent.Ask<CaptureStopped>(new StopCapture(), AskTimeout);
        var stopTime = clock.Elapsed;

        Assert.Equal(CaptureState.Running, status.State);
        Assert.Equal("remote1", identity.Node);
        Assert.True(stopped.WasRunning);
        // A control message queued behind the stalled transfer would wait for the 30 s idle timeout; the bounds leave room
        // for a loaded test machine and none for that.
        Assert.True(statusTime < TimeSpan.FromSeconds(3), $"status took {statusTime}");
        Assert.True(stopTime < TimeSpan.FromSeconds(5), $"stop took {stopTime}");
        Assert.True(listTime < TimeSpan.FromSeconds(3), $"listing took {listTime}");
        Assert.Contains(listing.Files, f => f.Name == file.Name);
        var rest = await download.ReadToEndAsync();
        Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(rest)));
    }

    [Fact]
    public async Task Tickets_are_refused_for_unknown_names_offsets_past_the_end_and_files_being_written()
    {
        var agent = await StartAgentAsync();
        var file = FinishedCaptureFile.Write(CaptureDirectory, "remote1", 100_000);
        await agent.Ask<CaptureStarted>(new StartCapture(new CaptureOptions(Interfaces: ["eth0"]), new CaptureOwner("t", "h", 1, "test"), true), AskTimeout);
        var writing = await WritingFileAsync(agent);

        var unknown = await agent.Ask<CommandFailed>(new OpenDownload("remote1_lo_20990101T000000Z_001.pcap", 0), AskTimeout);
        var unsafeName = await agent.Ask<CommandFailed>(new OpenDownload("../setup.json", 0), AskTimeout);
        var pastEnd = await agent.Ask<CommandFailed>(new OpenDownload(file.Name, file.Size + 1), AskTimeout);
        var inUse = await agent.Ask<CommandFailed>(new OpenDownload(writing.Name, 0), AskTimeout);

        Assert.Equal(ErrorCode.UnknownFile, unknown.Code);
        Assert.Equal(ErrorCode.UnsafeFileName, unsafeName.Code);
        Assert.Equal(ErrorCode.InvalidSettings, pastEnd.Code);
        Assert.Equal(ErrorCode.FileInUse, inUse.Code);
        await agent.Ask<CaptureStopped>(new StopCapture(), AskTimeout);
    }

    /// <summary>The file a just-started capture writes: it appears once the capture's interface has opened it (bounded wait).</summary>
    private static async Task<CaptureFileInfo> WritingFileAsync(IActorRef agent)
    {
        var deadline = DateTime.UtcNow + AskTimeout;
        while (true)
        {
            var listing = await agent.Ask<FileListing>(ListFiles.Instance, AskTimeout);
            if (listing.Files.SingleOrDefault(f => f.State == CaptureFileState.Writing) is { } writing)
            {
                return writing;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no file being written within {AskTimeout}: {string.Join(", ", listing.Files.Select(f => $"{f.Name} {f.State}"))}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task With_the_channel_disabled_tickets_are_refused_as_unavailable()
    {
        var agent = await StartAgentAsync("capture-agent.download.enabled = off");
        var file = FinishedCaptureFile.Write(CaptureDirectory, "remote1", 100_000);

        var refused = await agent.Ask<CommandFailed>(new OpenDownload(file.Name, 0), AskTimeout);

        Assert.Equal(ErrorCode.Unavailable, refused.Code);
    }

    [Fact]
    public async Task A_bad_token_does_not_disturb_the_agent()
    {
        var agent = await StartAgentAsync();
        var file = FinishedCaptureFile.Write(CaptureDirectory, "remote1", 1 << 20);
        var ticket = await agent.Ask<DownloadTicket>(new OpenDownload(file.Name, 0), AskTimeout);

        await using (var intruder = await RawChannelClient.ConnectAsync(ticket.Port))
        {
            var forged = (byte[])ticket.Token.Clone();
            forged[0] ^= 0xff;
            await intruder.SendRequestAsync(forged, file.Name, 0);
            Assert.True(await intruder.IsClosedByNodeAsync());
        }

        Assert.Equal("remote1", (await agent.Ask<AgentIdentity>(IdentifyAgent.Instance, AskTimeout)).Node);
        var (_, _, _, sha256) = await RawChannelClient.DownloadAsync(ticket.Port, ticket);
        Assert.Equal(file.Sha256, sha256);
    }
}
