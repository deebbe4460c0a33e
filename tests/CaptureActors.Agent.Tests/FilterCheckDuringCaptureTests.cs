using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary><see cref="CheckFilter"/> while a capture runs (fake engine): the capture and the stored setup are untouched.</summary>
public sealed class FilterCheckDuringCaptureTests(ITestOutputHelper output) : AgentTestKit(AgentTestHost.Start(), output)
{
    [Fact]
    public async Task Checking_a_filter_while_a_capture_runs_leaves_the_capture_and_the_setup_as_they_were()
    {
        var started = await StartAsync(new CaptureOptions(Interfaces: ["lo"], Filter: "udp port 53"));
        var setupBefore = await Ask<SetupReport>(GetSetup.Instance);

        var bad = await Ask<FilterChecked>(new CheckFilter("bogus"));
        var good = await Ask<FilterChecked>(new CheckFilter("icmp"));

        Assert.Equal("invalid filter 'bogus': syntax error", bad.Error);
        Assert.True(good.Valid);
        var status = await Ask<CaptureStatus>(GetCaptureStatus.Instance);
        Assert.Equal(CaptureState.Running, status.State);
        Assert.Equal(started.Status.CaptureId, status.CaptureId);
        Assert.Equal("udp port 53", status.Settings!.Filter);
        Assert.Single(Agent.Engine.Started);
        var setupAfter = (await Ask<SetupReport>(GetSetup.Instance)).Settings;
        Assert.Equal(setupBefore.Settings.Filter, setupAfter.Filter);
        Assert.Equal(setupBefore.Settings.Interfaces, setupAfter.Interfaces);
    }
}
