using Akka.Actor;
using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>Base of the actor tests: a TestKit over a real agent host with a fake engine and its own data directory.</summary>
public abstract class AgentTestKit : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>
    /// Longest wait for an answer or a state: every wait ends on the event, so this only bounds a failure. Generous,
    /// because CI runs all test projects at once on 2 cores and this process has been seen to stall 11 to 40 s
    /// (nothing ran, the pool was idle in a thread dump afterwards); a 10 s bound failed on that, not on the agent.
    /// </summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    protected AgentTestKit(AgentTestHost agent, ITestOutputHelper output)
        : base(agent.System, output)
    {
        Agent = agent;
    }

    protected AgentTestHost Agent { get; }

    protected IActorRef Guardian => Agent.Agent;

    protected string CaptureDirectory => Agent.Options.CaptureDirectory;

    protected static CaptureOwner Owner(string who = "tester") => new(who, "test-host", 4242, "test");

    protected async Task<T> Ask<T>(object message) => await Guardian.Ask<T>(message, Wait);

    protected async Task<CaptureStarted> StartAsync(CaptureOptions? options = null, bool detached = true, IActorRef? owner = null) =>
        await Ask<CaptureStarted>(new StartCapture(options ?? new CaptureOptions(Interfaces: ["lo"]), Owner(), detached, owner));

    protected async Task<CaptureStatus> WaitForStateAsync(params CaptureState[] states)
    {
        var deadline = DateTimeOffset.UtcNow + Wait;
        while (true)
        {
            var status = await Ask<CaptureStatus>(GetCaptureStatus.Instance);
            if (states.Contains(status.State))
            {
                return status;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"capture never reached {string.Join("/", states)}; last state {status.State}");
            await Task.Delay(50);
        }
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Agent.Dispose();
        if (Directory.Exists(Agent.Options.DataDirectory))
        {
            Directory.Delete(Agent.Options.DataDirectory, recursive: true);
        }
    }
}
