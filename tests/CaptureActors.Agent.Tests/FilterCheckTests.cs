using CaptureActors.Capture;
using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>
/// <see cref="CheckFilter"/> over the real libpcap engine: compiling a filter on a dead handle needs no privilege, so
/// these run unprivileged. The answer is the very message a start is refused with, and nothing on the node changes.
/// </summary>
public sealed class FilterCheckTests(ITestOutputHelper output)
    : AgentTestKit(AgentTestHost.Start(engine: new LibPcapCaptureEngine()), output)
{
    [Fact]
    public async Task A_bad_filter_is_answered_with_the_message_a_start_is_refused_with_and_nothing_changes()
    {
        var checkedFilter = await Ask<FilterChecked>(new CheckFilter("udp port banana"));
        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["lo"], Filter: "udp port banana"), Owner(), true));

        Assert.Equal("node1", checkedFilter.Node);
        Assert.Equal("udp port banana", checkedFilter.Filter);
        Assert.False(checkedFilter.Valid);
        Assert.Equal("invalid filter 'udp port banana': unknown port 'banana'", checkedFilter.Error);
        Assert.Equal(ErrorCode.InvalidFilter, refused.Code);
        Assert.Equal(refused.Message, checkedFilter.Error);
        Assert.Equal(CaptureState.Idle, (await Ask<CaptureStatus>(GetCaptureStatus.Instance)).State);
        Assert.False(Directory.Exists(CaptureDirectory));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("udp port 53 and host 127.0.0.1")]
    [InlineData("tcp[tcpflags] & tcp-syn != 0 and not ip6")]
    public async Task A_good_or_empty_filter_is_valid_without_an_error(string filter)
    {
        var result = await Ask<FilterChecked>(new CheckFilter(filter));

        Assert.True(result.Valid, result.Error);
        Assert.Null(result.Error);
        Assert.Equal(filter, result.Filter);
    }

    [Fact]
    public async Task A_syntax_error_is_libpcaps_own_text()
    {
        var result = await Ask<FilterChecked>(new CheckFilter("tcp prt 25"));

        Assert.False(result.Valid);
        Assert.StartsWith("invalid filter 'tcp prt 25': ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("syntax error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_over_the_length_limit_is_refused_as_a_start_refuses_it_before_libpcap_sees_it()
    {
        var filter = string.Join(" or ", Enumerable.Repeat("port 1", 700));
        Assert.True(filter.Length > CaptureSettings.MaxFilterLength);

        var result = await Ask<FilterChecked>(new CheckFilter(filter));
        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["lo"], Filter: filter), Owner(), true));

        Assert.False(result.Valid);
        Assert.Equal($"filter is {filter.Length} characters long: at most {CaptureSettings.MaxFilterLength} are allowed", result.Error);
        Assert.Equal(ErrorCode.InvalidSettings, refused.Code);
        Assert.Equal(refused.Message, result.Error);
    }

    private const string NulFilter = "udp port 1\u0000 and not udp port 1";

    private const string NulProblem = "filter has a control character U+0000 at position 11: not allowed (only tab, newline and carriage return, which libpcap reads as spaces)";

    /// <summary>Issue 14: libpcap compiled "udp port 1" (all it saw of a C string) and the check said valid.</summary>
    [Fact]
    public async Task A_filter_with_a_NUL_is_refused_by_check_start_and_setup_before_libpcap_sees_it_and_nothing_is_stored()
    {
        var checkedFilter = await Ask<FilterChecked>(new CheckFilter(NulFilter));
        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["lo"], Filter: NulFilter), Owner(), true));
        var setup = await Ask<CommandFailed>(new UpdateSetup(new CaptureOptions(Filter: NulFilter)));

        Assert.False(checkedFilter.Valid);
        Assert.Equal(NulProblem, checkedFilter.Error);
        Assert.Equal(ErrorCode.InvalidSettings, refused.Code);
        Assert.Equal(NulProblem, refused.Message);
        Assert.Equal(ErrorCode.InvalidSettings, setup.Code);
        Assert.Equal(NulProblem, setup.Message);
        Assert.Equal("", (await Ask<SetupReport>(GetSetup.Instance)).Settings.Filter);
        Assert.False(File.Exists(Path.Combine(Agent.Options.DataDirectory, "setup.json")));
    }

    [Fact]
    public async Task A_stored_setup_with_a_NUL_in_its_filter_cannot_start()
    {
        Directory.CreateDirectory(Agent.Options.DataDirectory);
        var stored = CaptureSettings.Default with { Interfaces = ["lo"], Filter = NulFilter };
        new CaptureActors.Agent.Storage.SetupStore(Agent.Options.DataDirectory).Save(stored);
        Assert.Equal(NulFilter, (await Ask<SetupReport>(GetSetup.Instance)).Settings.Filter);

        var refused = await Ask<CaptureRejected>(new StartCapture(CaptureOptions.None, Owner(), true));

        Assert.Equal(ErrorCode.InvalidSettings, refused.Code);
        Assert.Equal(NulProblem, refused.Message);
        Assert.False(Directory.Exists(CaptureDirectory));
    }

    [Fact]
    public async Task Tab_newline_and_carriage_return_are_blanks_to_libpcap()
    {
        var result = await Ask<FilterChecked>(new CheckFilter("udp port 53\r\n\tand host 127.0.0.1"));

        Assert.True(result.Valid, result.Error);
    }

    [Fact]
    public async Task A_huge_refused_filter_is_not_echoed_whole()
    {
        var filter = new string('\0', 10 << 20);

        var result = await Ask<FilterChecked>(new CheckFilter(filter));

        Assert.False(result.Valid);
        Assert.Equal($"filter is {filter.Length} characters long: at most {CaptureSettings.MaxFilterLength} are allowed", result.Error);
        Assert.Equal(new string('\0', 60) + "… (10,485,760 characters)", result.Filter);
    }
}
