using System.Diagnostics;
using System.Security.Cryptography;
using CaptureActors.Agent.Downloads;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>The download channel's listener on a real socket on 127.0.0.1 (ephemeral port): what it sends, what it refuses.</summary>
public sealed class DownloadListenerTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    private readonly TempDirectory _data = new("ca-dl-listener-");
    private DownloadListener _listener = null!;
    private FinishedCaptureFile _file = null!;

    private DownloadChannelSettings Settings { get; set; } = DownloadChannelSettings.Default;

    public Task InitializeAsync()
    {
        _file = FinishedCaptureFile.Write(_data.Path, "node1", 3 << 20);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        _data.Dispose();
    }

    private DownloadListener Start(DownloadChannelSettings? settings = null)
    {
        _listener = DownloadListener.Start("127.0.0.1", settings ?? Settings, Sys.Log);
        return _listener;
    }

    private Protocol.DownloadTicket Ticket(long offset = 0) => _listener.Issue(_file.Path, _file.Name, offset, _file.Size)!;

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"not within 10 s: {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_ticket_holder_receives_the_whole_file()
    {
        Start();

        var (offset, length, body, sha256) = await RawChannelClient.DownloadAsync(_listener.Port, Ticket());

        Assert.Equal(0, offset);
        Assert.Equal(_file.Size, length);
        Assert.Equal(_file.Size, body.Length);
        Assert.Equal(_file.Sha256, sha256);
        await WaitUntilAsync(() => _listener.Completed == 1, "one completed transfer");
    }

    [Fact]
    public async Task A_ticket_from_an_offset_receives_the_rest_of_the_file()
    {
        Start();
        const int Offset = 1_000_001;

        var (offset, length, body, _) = await RawChannelClient.DownloadAsync(_listener.Port, Ticket(Offset));

        Assert.Equal(Offset, offset);
        Assert.Equal(_file.Size - Offset, length);
        Assert.Equal(File.ReadAllBytes(_file.Path).AsSpan(Offset).ToArray(), body);
    }

    [Fact]
    public async Task A_wrong_token_is_closed_without_a_byte_and_the_listener_keeps_serving()
    {
        Start();
        var ticket = Ticket();

        await using (var intruder = await RawChannelClient.ConnectAsync(_listener.Port))
        {
            await intruder.SendRequestAsync(RandomNumberGenerator.GetBytes(32), _file.Name, 0);
            Assert.True(await intruder.IsClosedByNodeAsync());
        }

        await using (var garbage = await RawChannelClient.ConnectAsync(_listener.Port))
        {
            await garbage.SendRequestAsync(RandomNumberGenerator.GetBytes(32), "../../etc/passwd", 0);
            Assert.True(await garbage.IsClosedByNodeAsync());
        }

        var (_, _, _, sha256) = await RawChannelClient.DownloadAsync(_listener.Port, ticket);
        Assert.Equal(_file.Sha256, sha256);
        Assert.Equal(2, _listener.Refused);
    }

    [Fact]
    public async Task A_used_token_is_refused_the_second_time()
    {
        Start();
        var ticket = Ticket();
        await RawChannelClient.DownloadAsync(_listener.Port, ticket);

        await using var again = await RawChannelClient.ConnectAsync(_listener.Port);
        await again.SendRequestAsync(ticket.Token, ticket.Name, 0);

        Assert.True(await again.IsClosedByNodeAsync());
    }

    [Fact]
    public async Task A_token_presented_for_another_file_is_refused()
    {
        Start();
        var other = FinishedCaptureFile.Write(_data.Path, "node1", 100_000, "eth0");
        var ticket = Ticket();

        await using var client = await RawChannelClient.ConnectAsync(_listener.Port);
        await client.SendRequestAsync(ticket.Token, other.Name, 0);

        Assert.True(await client.IsClosedByNodeAsync());
    }

    [Fact]
    public async Task A_ticket_for_a_name_that_became_a_link_sends_nothing()
    {
        Start();
        using var planted = new PlantedEntries(_data.Path, "node1").Symlink();

        await AssertNothingSentAsync(_listener.Issue(planted.PathOf(planted.SymlinkName), planted.SymlinkName, 0, 100)!);
    }

    [Fact]
    public async Task A_ticket_for_a_file_replaced_since_its_check_sends_nothing()
    {
        Start();

        await AssertNothingSentAsync(_listener.Issue(_file.Path, _file.Name, 0, _file.Size, new Storage.RegularFile.Identity(0, 1))!);
    }

    /// <summary>A valid ticket is presented, and the node closes the connection without a byte of the file.</summary>
    private async Task AssertNothingSentAsync(Protocol.DownloadTicket ticket)
    {
        await using var client = await RawChannelClient.ConnectAsync(_listener.Port);
        await client.SendRequestAsync(ticket.Token, ticket.Name, 0);

        Assert.True(await client.IsClosedByNodeAsync());
        Assert.Equal(0, _listener.Completed);
    }

    [Fact]
    public async Task An_expired_ticket_is_refused()
    {
        Start(Settings with { TicketLifetime = TimeSpan.FromMilliseconds(200) });
        var ticket = Ticket();
        await Task.Delay(400);

        await using var client = await RawChannelClient.ConnectAsync(_listener.Port);
        await client.SendRequestAsync(ticket.Token, ticket.Name, 0);

        Assert.True(await client.IsClosedByNodeAsync());
    }

    [Fact]
    public async Task A_connection_that_sends_nothing_is_closed_after_the_handshake_timeout()
    {
        Start(Settings with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        var clock = Stopwatch.StartNew();

        await using var silent = await RawChannelClient.ConnectAsync(_listener.Port);

        Assert.True(await silent.IsClosedByNodeAsync());
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => _listener.ActiveTransfers == 0, "the silent connection released");
    }

    [Fact]
    public async Task Transfers_are_limited_and_a_stalled_one_is_dropped_after_the_idle_timeout()
    {
        // 24 MB cannot fit in the socket buffers, so a client that stops reading stalls the node's writes.
        var big = FinishedCaptureFile.Write(_data.Path, "node1", 24 << 20, "eth1");
        Start(Settings with { MaxTransfers = 1, IdleTimeout = TimeSpan.FromMilliseconds(500) });
        var stalled = await RawChannelClient.ConnectAsync(_listener.Port, receiveBuffer: 4096);
        var stalledTicket = _listener.Issue(big.Path, big.Name, 0, big.Size)!;
        await stalled.SendRequestAsync(stalledTicket.Token, big.Name, 0);
        Assert.Equal(big.Size, (await stalled.ReadHeaderAsync()).Length);

        await using (var second = await RawChannelClient.ConnectAsync(_listener.Port))
        {
            Assert.True(await second.IsClosedByNodeAsync(), "a second transfer beyond max-transfers = 1 must be closed");
        }

        await WaitUntilAsync(() => _listener.ActiveTransfers == 0, "the stalled transfer dropped by the idle timeout");
        var received = await Record.ExceptionAsync(stalled.ReadToEndAsync);
        await stalled.DisposeAsync();
        var (_, _, _, sha256) = await RawChannelClient.DownloadAsync(_listener.Port, Ticket());
        Assert.Equal(_file.Sha256, sha256);
        Assert.True(received is null or IOException);
    }

    [Fact]
    public async Task Stopping_the_listener_closes_its_port()
    {
        var port = Start().Port;

        await _listener.DisposeAsync();

        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => RawChannelClient.ConnectAsync(port));
    }
}
