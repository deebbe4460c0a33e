using CaptureActors.Agent.Downloads;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Tests;

public sealed class DownloadTicketsTests
{
    private const string Name = "node1_lo_20260101T000000Z_001.pcap";
    private readonly ManualTime _time = new();
    private readonly DownloadTickets _tickets;

    public DownloadTicketsTests()
    {
        _tickets = new DownloadTickets(TimeSpan.FromSeconds(30), 3, _time);
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_ticket_is_32_random_bytes_bound_to_its_file_and_offset_and_expires_after_its_lifetime()
    {
        var first = _tickets.Issue("/data/" + Name, Name, 100, 1000)!;
        var second = _tickets.Issue("/data/" + Name, Name, 100, 1000)!;

        Assert.Equal(DownloadChannel.TokenBytes, first.Token.Length);
        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(_time.Now.AddSeconds(30), first.ExpiresAt);
        Assert.Same(first, _tickets.Redeem(first.Token, Name, 100, out var refusal));
        Assert.Equal("", refusal);
    }

    [Fact]
    public void A_ticket_is_good_for_one_use_only()
    {
        var ticket = _tickets.Issue("/data/" + Name, Name, 0, 1000)!;

        Assert.NotNull(_tickets.Redeem(ticket.Token, Name, 0, out _));
        Assert.Null(_tickets.Redeem(ticket.Token, Name, 0, out var refusal));
        Assert.Contains("unknown token", refusal);
    }

    [Fact]
    public void An_unused_ticket_expires()
    {
        var ticket = _tickets.Issue("/data/" + Name, Name, 0, 1000)!;
        _time.Now += TimeSpan.FromSeconds(30);

        Assert.Null(_tickets.Redeem(ticket.Token, Name, 0, out var refusal));
        Assert.Contains("expired", refusal);
        Assert.Equal(0, _tickets.Pending);
    }

    [Fact]
    public void A_ticket_just_before_its_expiry_still_works()
    {
        var ticket = _tickets.Issue("/data/" + Name, Name, 0, 1000)!;
        _time.Now += TimeSpan.FromSeconds(29.9);

        Assert.NotNull(_tickets.Redeem(ticket.Token, Name, 0, out _));
    }

    [Theory]
    [InlineData("node1_lo_20260101T000000Z_002.pcap", 0)]
    [InlineData(Name, 65536)]
    public void A_token_presented_for_another_file_or_offset_is_refused_and_voided(string name, long offset)
    {
        var ticket = _tickets.Issue("/data/" + Name, Name, 0, 1000)!;

        Assert.Null(_tickets.Redeem(ticket.Token, name, offset, out var refusal));
        Assert.Contains("the ticket is void", refusal);
        Assert.Null(_tickets.Redeem(ticket.Token, Name, 0, out _));
    }

    [Fact]
    public void A_wrong_token_is_refused_and_leaves_the_others_usable()
    {
        var ticket = _tickets.Issue("/data/" + Name, Name, 0, 1000)!;
        var wrong = (byte[])ticket.Token.Clone();
        wrong[^1] ^= 1;

        Assert.Null(_tickets.Redeem(wrong, Name, 0, out _));
        Assert.Null(_tickets.Redeem(new byte[5], Name, 0, out _));
        Assert.NotNull(_tickets.Redeem(ticket.Token, Name, 0, out _));
    }

    [Fact]
    public void No_more_than_max_pending_tickets_wait_until_some_are_used_or_expire()
    {
        var issued = Enumerable.Range(0, 3).Select(_ => _tickets.Issue("/data/" + Name, Name, 0, 1000)).ToList();

        Assert.All(issued, Assert.NotNull);
        Assert.Null(_tickets.Issue("/data/" + Name, Name, 0, 1000));
        Assert.NotNull(_tickets.Redeem(issued[0]!.Token, Name, 0, out _));
        Assert.NotNull(_tickets.Issue("/data/" + Name, Name, 0, 1000));
        _time.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(0, _tickets.Pending);
    }
}
