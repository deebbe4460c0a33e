using CaptureActors.Probes;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>smtpping through the agent's probes actor: phases stream to the requester, and cancel still yields the report.</summary>
public sealed class SmtpPingRouterTests(ITestOutputHelper output) : AgentTestKit(AgentTestHost.Start(probes: new ProbeCatalog(new ProbeEnvironment())), output)
{
    private static SmtpPing Ping(string id, int port, TimeSpan timeout) =>
        new(id, "127.0.0.1", port, "probe@example.org", "postmaster@example.test", false, false, timeout, null);

    [Fact]
    public void Each_phase_streams_to_the_requester_before_the_report()
    {
        using var server = SmtpTestServer.Start();

        Guardian.Tell(Ping("smtp-1", server.Port, TimeSpan.FromSeconds(5)), TestActor);

        var phases = new[] { SmtpPhase.Connect, SmtpPhase.Banner, SmtpPhase.Ehlo, SmtpPhase.MailFrom, SmtpPhase.RcptTo, SmtpPhase.Quit }
            .Select(expected =>
            {
                var phase = ExpectMsg<SmtpPhaseCompleted>(Wait);
                Assert.Equal(("smtp-1", expected, true), (phase.ProbeId, phase.Result.Phase, phase.Result.Ok));
                return phase.Result;
            })
            .ToList();
        var report = ExpectMsg<SmtpPingReport>(Wait);
        Assert.True(report.Succeeded, report.Verdict);
        Assert.Equal(phases, report.Phases);
    }

    [Fact]
    public void Cancel_during_a_silent_banner_answers_with_the_report_so_far()
    {
        using var silent = new SilentTcpServer();
        Guardian.Tell(Ping("smtp-2", silent.Port, TimeSpan.FromSeconds(60)), TestActor);
        Assert.Equal(SmtpPhase.Connect, ExpectMsg<SmtpPhaseCompleted>(Wait).Result.Phase);

        Guardian.Tell(new CancelProbe("smtp-2"), TestActor);

        var banner = ExpectMsg<SmtpPhaseCompleted>(Wait).Result;
        Assert.Equal((SmtpPhase.Banner, false), (banner.Phase, banner.Ok));
        var report = ExpectMsg<SmtpPingReport>(Wait);
        Assert.False(report.Succeeded);
        Assert.Equal(SmtpPhase.Banner, report.FailedPhase);
        Assert.Equal("banner: stopped before it ended (cancelled)", report.Verdict);
    }

    [Fact]
    public void A_bad_request_is_refused_without_harm_to_the_agent()
    {
        Guardian.Tell(Ping("smtp-3", 0, TimeSpan.FromSeconds(5)), TestActor);

        var failed = ExpectMsg<ProbeFailed>(Wait);
        Assert.Equal(ErrorCode.InvalidArgument, failed.Code);
        Assert.Contains("port 0 is out of range 1..65535", failed.Message);
        Guardian.Tell(new ListTcpServices("after"), TestActor);
        ExpectMsg<TcpServicesReport>(Wait);
    }
}
