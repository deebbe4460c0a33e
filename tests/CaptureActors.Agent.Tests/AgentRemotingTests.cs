using Akka.Actor;
using CaptureActors.Agent.Hosting;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaptureActors.Agent.Tests;

/// <summary>The capture-agent host (Akka.Remote via <see cref="AgentRemotingExtensions.AddAgentRemoting"/>) answered from a second actor system over TCP.</summary>
public sealed class AgentRemotingTests : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _data = new("ca-remote-");
    private readonly IHost _agent;
    private readonly RemoteAgentClient _client = new();

    public AgentRemotingTests()
    {
        var settings = new AgentHostSettings(
            new AgentOptions { NodeName = "remote1", DataDirectory = _data.Path },
            new AgentRemoteOptions { Hostname = "127.0.0.1", Port = 0 },
            ConfigFile: null);
        _agent = AgentHost.Build(settings, new FakeCaptureEngine());
        _agent.StartAsync().GetAwaiter().GetResult();
        AgentSystem = (ExtendedActorSystem)_agent.Services.GetRequiredService<ActorSystem>();
    }

    private ExtendedActorSystem AgentSystem { get; }

    private int AgentPort => AgentSystem.Provider.DefaultAddress.Port ?? throw new InvalidOperationException("agent has no port");

    public void Dispose()
    {
        _client.Dispose();
        _agent.StopAsync().Wait(TimeSpan.FromSeconds(20));
        _agent.Dispose();
        _data.Dispose();
    }

    [Fact]
    public void The_agent_listens_as_capture_agent_on_the_given_host()
    {
        var address = AgentSystem.Provider.DefaultAddress;
        Assert.Equal("akka.tcp", address.Protocol);
        Assert.Equal(AgentAddress.SystemName, address.System);
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, AgentPort);
    }

    [Fact]
    public async Task A_remote_system_resolves_the_agent_and_gets_its_identity_and_status()
    {
        var agent = await _client.ResolveAgentAsync("127.0.0.1", AgentPort);

        var identity = await agent.Ask<AgentIdentity>(IdentifyAgent.Instance, AskTimeout);
        var status = await agent.Ask<CaptureStatus>(GetCaptureStatus.Instance, AskTimeout);

        Assert.Equal("remote1", identity.Node);
        Assert.Equal(_data.Path, identity.DataDirectory);
        Assert.Equal("remote1", status.Node);
        Assert.Equal(CaptureState.Idle, status.State);
    }

    [Fact]
    public void Agent_hocon_defaults_apply_frame_size_and_a_failure_detector_that_notices_a_lost_owner_within_15_s()
    {
        var config = AgentSystem.Settings.Config;
        Assert.Equal(128000, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        var pause = config.GetTimeSpan("akka.remote.watch-failure-detector.acceptable-heartbeat-pause");
        var interval = config.GetTimeSpan("akka.remote.watch-failure-detector.heartbeat-interval");
        var reaper = config.GetTimeSpan("akka.remote.watch-failure-detector.unreachable-nodes-reaper-interval");
        Assert.True(pause + interval + reaper <= TimeSpan.FromSeconds(15), $"pause {pause} + interval {interval} + reaper {reaper} > 15 s");
        Assert.Equal("off", config.GetString("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
    }
}
