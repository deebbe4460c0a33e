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
}
