namespace CaptureActors.Protocol.Tests.Bounds;

public sealed class FileRefusalsTests
{
    private static FileRefusal Refusal(int i, ErrorCode code = ErrorCode.UnknownFile) =>
        new($"n{i}_lo_20260101T000000Z_001.pcap", code, $"no capture file named 'n{i}_lo_20260101T000000Z_001.pcap' on node lab1 (see: packetcapture files)");

    [Fact]
    public void A_short_list_is_sent_as_it_is()
    {
        IReadOnlyList<FileRefusal> refusals = [.. Enumerable.Range(0, FileRefusals.MaxListed).Select(i => Refusal(i))];

        Assert.Same(refusals, FileRefusals.Bounded(refusals));
    }

    [Fact]
    public void A_long_list_keeps_the_first_refusals_and_counts_the_rest_with_their_most_common_code()
    {
        IReadOnlyList<FileRefusal> refusals = [.. Enumerable.Range(0, 10_000).Select(i => Refusal(i, i % 3 == 0 ? ErrorCode.FileKept : ErrorCode.UnsafeFileName))];

        var bounded = FileRefusals.Bounded(refusals);

        Assert.Equal(FileRefusals.MaxListed + 1, bounded.Count);
        Assert.Equal(refusals.Take(FileRefusals.MaxListed), bounded.Take(FileRefusals.MaxListed));
        Assert.Equal(new FileRefusal("", ErrorCode.UnsafeFileName, "and 9,900 more names refused (not listed: a reply lists at most 100 refusals, 32 KiB of text)"), bounded[^1]);
    }

    [Fact]
    public void Long_messages_are_listed_until_their_text_reaches_the_bound()
    {
        IReadOnlyList<FileRefusal> refusals = [.. Enumerable.Range(0, 50).Select(i => new FileRefusal(new string('x', 255), ErrorCode.UnsafeFileName, new string('m', 2000)))];

        var bounded = FileRefusals.Bounded(refusals);

        Assert.True(bounded.Sum(r => r.Name.Length + r.Message.Length) <= FileRefusals.MaxListedCharacters + 200);
        Assert.EndsWith("more names refused (not listed: a reply lists at most 100 refusals, 32 KiB of text)", bounded[^1].Message, StringComparison.Ordinal);
    }
}
