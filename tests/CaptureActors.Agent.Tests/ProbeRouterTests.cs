using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using CaptureActors.Probes;
using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>The <c>probes</c> actor: one child per request, events then one result, cancel, ceiling, requester death.</summary>
public sealed class ProbeRouterTests(ITestOutputHelper output) : AgentTestKit(AgentTestHost.Start(probes: TestCatalog.Create()), output)
{
    [Fact]
    public void Tcpservices_through_the_agent_lists_a_listener_of_this_process()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            Guardian.Tell(new ListTcpServices("tcp-1"), TestActor);

            var report = ExpectMsg<TcpServicesReport>(Wait);
            Assert.Equal("tcp-1", report.ProbeId);
            Assert.Contains(report.Services, s => s.LocalPort == port && s.Pid == Environment.ProcessId);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Events_arrive_in_order_before_the_one_result()
    {
        Guardian.Tell(new Sleep("s-1", Ticks: 3, TimeSpan.Zero), TestActor);

        Assert.Equal(1, ExpectMsg<Tick>(Wait).N);
        Assert.Equal(2, ExpectMsg<Tick>(Wait).N);
        Assert.Equal(3, ExpectMsg<Tick>(Wait).N);
        Assert.False(ExpectMsg<Slept>(Wait).Cancelled);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Cancel_lets_a_probe_answer_with_what_it_saw()
    {
        Guardian.Tell(new Sleep("s-2", Ticks: 1, Timeout.InfiniteTimeSpan, SummariseOnCancel: true), TestActor);
        ExpectMsg<Tick>(Wait);

        Guardian.Tell(new CancelProbe("s-2"), TestActor);

        Assert.True(ExpectMsg<Slept>(Wait).Cancelled);
    }

    [Fact]
    public void Cancel_of_a_probe_without_a_summary_answers_cancelled()
    {
        Guardian.Tell(new Sleep("s-3", Ticks: 1, Timeout.InfiniteTimeSpan), TestActor);
        ExpectMsg<Tick>(Wait);

        Guardian.Tell(new CancelProbe("s-3"), TestActor);

        Assert.Equal(ErrorCode.Cancelled, ExpectMsg<ProbeFailed>(Wait).Code);
    }

    [Fact]
    public void Another_requester_cannot_cancel_my_probe()
    {
        Guardian.Tell(new Sleep("s-4", Ticks: 1, TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg<Tick>(Wait);

        Guardian.Tell(new CancelProbe("s-4"), CreateTestProbe().Ref);

        Assert.False(ExpectMsg<Slept>(Wait).Cancelled);
    }

    [Fact]
    public void A_probe_past_its_ceiling_is_stopped_and_reported_as_timed_out()
    {
        Guardian.Tell(new Sleep("slow", Ticks: 0, Timeout.InfiniteTimeSpan), TestActor);

        var failed = ExpectMsg<ProbeFailed>(Wait);
        Assert.Equal(ErrorCode.Timeout, failed.Code);
        Assert.Contains("did not finish within", failed.Message);
    }

    [Fact]
    public async Task A_requester_that_dies_takes_its_probe_with_it()
    {
        var requester = CreateTestProbe();
        var stopped = TestCatalog.CancelObserved("s-5");
        Guardian.Tell(new Sleep("s-5", Ticks: 1, Timeout.InfiniteTimeSpan), requester.Ref);
        requester.ExpectMsg<Tick>(Wait);

        Sys.Stop(requester.Ref);

        Assert.Same(stopped, await Task.WhenAny(stopped, Task.Delay(Wait)));
    }

    [Fact]
    public void A_specific_failure_reaches_the_requester_with_its_code()
    {
        Guardian.Tell(new Fail("f-1"), TestActor);

        var failed = ExpectMsg<ProbeFailed>(Wait);
        Assert.Equal(ErrorCode.UnknownHost, failed.Code);
        Assert.Equal("no such host: nowhere.invalid", failed.Message);
    }

    [Fact]
    public void A_probe_type_the_node_does_not_know_is_refused()
    {
        Guardian.Tell(new Unknown("u-1"), TestActor);

        Assert.Equal(ErrorCode.InvalidArgument, ExpectMsg<ProbeFailed>(Wait).Code);
    }

    [Fact]
    public async Task Capture_commands_are_answered_while_a_probe_blocks_its_thread()
    {
        Guardian.Tell(new Block("b-1", TimeSpan.FromSeconds(3)), TestActor);
        await Task.Delay(100);

        var status = await Ask<CaptureStatus>(GetCaptureStatus.Instance);

        Assert.Equal(CaptureState.Idle, status.State);
        ExpectMsg<Slept>(Wait);
    }

    private sealed record Sleep(string ProbeId, int Ticks, TimeSpan Then, bool SummariseOnCancel = false) : IProbeCommand;

    private sealed record Tick(string ProbeId, int N) : IProbeEvent;

    private sealed record Slept(string ProbeId, bool Cancelled) : IProbeResult;

    private sealed record Fail(string ProbeId) : IProbeCommand;

    private sealed record Block(string ProbeId, TimeSpan For) : IProbeCommand;

    private sealed record Unknown(string ProbeId) : IProbeCommand;

    private static class TestCatalog
    {
        private static readonly Dictionary<string, TaskCompletionSource> Cancelled = [];

        public static Task CancelObserved(string probeId)
        {
            lock (Cancelled)
            {
                return (Cancelled[probeId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }

        public static ProbeCatalog Create()
        {
            var catalog = new ProbeCatalog(new ProbeEnvironment());
            catalog.Add<Sleep>(SleepAsync, c => c.ProbeId == "slow" ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(30));
            catalog.Add<Fail>((c, _) => throw new ProbeException(ErrorCode.UnknownHost, "no such host: nowhere.invalid"));
            catalog.Add<Block>((c, _) =>
            {
                Thread.Sleep(c.For);
                return Task.FromResult<IProbeResult>(new Slept(c.ProbeId, false));
            });
            return catalog;
        }

        private static async Task<IProbeResult> SleepAsync(Sleep command, ProbeContext context)
        {
            for (var n = 1; n <= command.Ticks; n++)
            {
                context.Emit(new Tick(command.ProbeId, n));
            }

            try
            {
                await Task.Delay(command.Then, context.CancellationToken);
                return new Slept(command.ProbeId, false);
            }
            catch (OperationCanceledException)
            {
                lock (Cancelled)
                {
                    Cancelled.GetValueOrDefault(command.ProbeId)?.TrySetResult();
                }

                if (command.SummariseOnCancel)
                {
                    return new Slept(command.ProbeId, true);
                }

                throw;
            }
        }
    }
}
