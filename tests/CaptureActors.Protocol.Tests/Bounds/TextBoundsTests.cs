namespace CaptureActors.Protocol.Tests.Bounds;

public sealed class TextBoundsTests
{
    [Fact]
    public void Short_text_is_quoted_whole_and_long_text_by_its_start_and_length()
    {
        Assert.Equal("'eth0'", TextBounds.Quote("eth0"));
        Assert.Equal("'" + new string('a', 60) + "…' (100,000 characters)", TextBounds.Quote(new string('a', 100_000)));
        Assert.Equal($"'{new string('b', 200)}'", TextBounds.Quote(new string('b', 200), maxLength: 255));
    }

    [Fact]
    public void Control_characters_are_escaped_in_quotes()
    {
        Assert.Equal(@"'x.pcap\u0000.sh'", TextBounds.Quote("x.pcap\0.sh"));
        Assert.Equal(@"'\u001b[2J'", TextBounds.Quote("\u001b[2J"));
    }

    [Fact]
    public void A_surrogate_pair_is_not_cut_in_half()
    {
        var text = new string('a', 59) + "\U0001F600" + new string('z', 100);

        Assert.Equal(new string('a', 59) + "… (161 characters)", TextBounds.Bounded(text));
    }

    [Fact]
    public void Bounded_keeps_text_within_its_limit_as_it_is()
    {
        Assert.Equal("udp\0port", TextBounds.Bounded("udp\0port"));
        Assert.Equal("aaaaa… (10 characters)", TextBounds.Bounded(new string('a', 10), 5));
    }

    [Fact]
    public void A_long_list_ends_in_a_count()
    {
        Assert.Equal("a, b", TextBounds.Listed(["a", "b"]));
        Assert.Equal("n0, n1, n2 and 9,997 more", TextBounds.Listed(Enumerable.Range(0, 10_000).Select(i => $"n{i}"), 3));
    }
}
