namespace CaptureActors.Protocol.Tests.Bounds;

/// <summary>
/// <see cref="CaptureSettings.FilterProblem"/>: THE check every side runs before libpcap sees a filter (issue 14: a NUL
/// cut the filter short while status and audit showed all of it).
/// </summary>
public sealed class FilterProblemTests
{
    [Theory]
    [InlineData("udp port 1\u0000 and not udp port 1", "U+0000", 11)]
    [InlineData("\u0000", "U+0000", 1)]
    [InlineData("host 10.0.0.1\u001b[2K", "U+001B", 14)]
    [InlineData("tcp\bport 25", "U+0008", 4)]
    [InlineData("udp\u007f", "U+007F", 4)]
    [InlineData("udp\u0085port 53", "U+0085", 4)]
    [InlineData("udp\u009b", "U+009B", 4)]
    [InlineData("port 25\u000b", "U+000B", 8)]
    [InlineData("port 25\u000c", "U+000C", 8)]
    public void A_control_character_is_refused_naming_it_and_its_position(string filter, string character, int position)
    {
        var problem = CaptureSettings.FilterProblem(filter);

        Assert.Equal(
            $"filter has a control character {character} at position {position}: not allowed (only tab, newline and carriage return, which libpcap reads as spaces)",
            problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("udp port 53 and host 127.0.0.1")]
    [InlineData("udp port 53\tand\nhost 127.0.0.1\r\n")]
    [InlineData("host é")] // not a control character: libpcap itself refuses it with its own words
    [InlineData("port 1 \U0001F600")] // a surrogate pair is one character
    public void Tab_newline_carriage_return_and_other_text_pass_to_libpcap(string filter) =>
        Assert.Null(CaptureSettings.FilterProblem(filter));

    // The surrogate as a char: a lone surrogate in an attribute's string does not survive compilation.
    [Theory]
    [InlineData("port 1 ", '\ud800', "", "U+D800", 8)]
    [InlineData("", '\udc00', " port 1", "U+DC00", 1)]
    [InlineData("port ", '\ud800', "\ud800\udc00", "U+D800", 6)]
    public void An_unpaired_surrogate_is_refused(string before, char surrogate, string after, string character, int position) =>
        Assert.Equal(
            $"filter has an unpaired surrogate {character} at position {position}: not allowed (a filter is Unicode text)",
            CaptureSettings.FilterProblem(before + surrogate + after));

    [Fact]
    public void The_length_is_checked_first_and_a_huge_filter_is_not_echoed()
    {
        var filter = new string('\0', 10 << 20);

        var problem = CaptureSettings.FilterProblem(filter);

        Assert.Equal($"filter is {filter.Length} characters long: at most {CaptureSettings.MaxFilterLength} are allowed", problem);
    }

    [Fact]
    public void Settings_with_such_a_filter_are_invalid()
    {
        var problems = (CaptureSettings.Default with { Filter = "udp port 1\0 and not udp port 1" }).Validate();

        Assert.Contains("filter has a control character U+0000 at position 11: not allowed (only tab, newline and carriage return, which libpcap reads as spaces)", problems);
    }
}
