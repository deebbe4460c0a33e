using CaptureActors.Agent.Security;
using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>
/// The guardian answers a request over one of <see cref="RequestBounds"/>' limits with the limit, and no reply or audit
/// line repeats what the request carried (issue 14: a 100,000-character name made a 200 KB reply that Akka dropped).
/// </summary>
public sealed class RequestBoundsTests(ITestOutputHelper output) : AgentTestKit(AgentTestHost.Start(), output)
{
    private string AuditPath => Path.Combine(Agent.Options.DataDirectory, AuditLog.DefaultFileName);

    [Fact]
    public async Task A_100000_character_file_name_is_refused_in_a_short_reply_and_a_short_audit_line()
    {
        var name = new string('a', 100_000) + ".pcap";

        var refused = await Ask<CommandFailed>(new DeleteFiles([name]));

        Assert.Equal(ErrorCode.UnsafeFileName, refused.Code);
        Assert.Equal(
            $"node1: refused: '{new string('a', 60)}…' (100,005 characters) is not a capture file name: it is 100,005 bytes long, at most 255 are allowed (DeleteFiles names[0])",
            refused.Message);
        await AwaitAssertAsync(() => Assert.Contains("DeleteFiles names[0]", File.ReadAllText(AuditPath), StringComparison.Ordinal), Wait);
        var line = File.ReadAllLines(AuditPath).Single(l => l.Contains("DeleteFiles names[0]", StringComparison.Ordinal));
        Assert.True(line.Length < 2048, $"audit line of {line.Length} characters: {line[..200]}");
    }

    [Fact]
    public async Task A_probe_with_an_oversized_id_fails_naming_the_limit_without_echoing_the_id()
    {
        var id = new string('p', 50_000);

        var failed = await Ask<ProbeFailed>(new PingHost(id, "127.0.0.1", 1, PingHost.DefaultInterval, 56, IcmpFamily.Any, PingHost.DefaultReplyTimeout));

        Assert.Equal(ErrorCode.InvalidArgument, failed.Code);
        Assert.Equal("node1: refused: PingHost probeId is 50,000 characters long: at most 64 are allowed", failed.Message);
        Assert.Equal(new string('p', 64) + "… (50,000 characters)", failed.ProbeId);
    }

    [Fact]
    public async Task A_start_with_too_many_interfaces_is_refused_before_the_supervisor_lists_them()
    {
        var refused = await Ask<CommandFailed>(new StartCapture(new CaptureOptions(Interfaces: [.. Enumerable.Range(0, 5000).Select(i => $"x{i}")]), Owner(), true));

        Assert.Equal("node1: refused: StartCapture options.interfaces has 5,000 items: at most 256 are allowed", refused.Message);
    }

    [Fact]
    public async Task Thousands_of_refused_names_come_back_as_the_first_hundred_and_a_count()
    {
        var names = Enumerable.Range(0, 5000).Select(i => $"node1_lo_20260101T000000Z_{i:000000}.pcap").ToList();

        var result = await Ask<FilesDeleted>(new DeleteFiles(names));

        Assert.Empty(result.Deleted);
        Assert.Equal(FileRefusals.MaxListed + 1, result.Refused.Count);
        Assert.Equal(names[0], result.Refused[0].Name);
        Assert.Equal(ErrorCode.UnknownFile, result.Refused[^1].Code);
        Assert.Equal("and 4,900 more names refused (not listed: a reply lists at most 100 refusals, 32 KiB of text)", result.Refused[^1].Message);
    }

    [Fact]
    public async Task Many_bad_interface_names_are_listed_twenty_and_counted()
    {
        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: [.. Enumerable.Range(0, 200).Select(i => new string('i', 20) + i)]), Owner(), true));

        Assert.Equal(ErrorCode.InvalidSettings, refused.Code);
        Assert.EndsWith("; 180 more interface names are not valid", refused.Message, StringComparison.Ordinal);
        Assert.True(refused.Message.Length < 4000, refused.Message);
    }
}
