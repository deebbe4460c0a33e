using Akka.Actor;
using Akka.Hosting;
using CaptureActors.Agent.Actors;
using CaptureActors.Agent.Hosting;
using CaptureActors.Capture;
using CaptureActors.Probes;
using CaptureActors.Protocol.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaptureActors.Agent.Tests;

/// <summary>A real agent host built with the same Akka.Hosting extension as production, over a temporary data directory.</summary>
public sealed class AgentTestHost : IDisposable
{
    private AgentTestHost(IHost host, AgentOptions options, ICaptureEngine engine)
    {
        Host = host;
        Options = options;
        RealOrFakeEngine = engine;
        System = host.Services.GetRequiredService<ActorSystem>();
        Agent = host.Services.GetRequiredService<ActorRegistry>().Get<AgentGuardian>();
    }

    public IHost Host { get; }

    public AgentOptions Options { get; }

    public ICaptureEngine RealOrFakeEngine { get; }

    /// <summary>The fake engine (most actor tests); throws for a host over the real libpcap engine.</summary>
    public FakeCaptureEngine Engine => RealOrFakeEngine as FakeCaptureEngine ?? throw new InvalidOperationException("this agent runs the real engine");

    public ActorSystem System { get; }

    public IActorRef Agent { get; }

    /// <param name="recoverOnStart">Recover as <c>capture-agent</c> does: finish orphaned captures, resume the detached one.</param>
    /// <param name="configure">Changes to the agent's options before it starts (disk guard settings, a fake disk).</param>
    /// <param name="tls">The agent's TLS files: authorization by certificate on (see <paramref name="hocon"/> for roles).</param>
    /// <param name="hocon">Extra settings over the test defaults, e.g. capture-agent.authorization.</param>
    public static AgentTestHost Start(
        string? dataDirectory = null,
        ICaptureEngine? engine = null,
        string node = "node1",
        ProbeCatalog? probes = null,
        bool recoverOnStart = false,
        Action<AgentOptions>? configure = null,
        TlsFiles? tls = null,
        Akka.Configuration.Config? hocon = null)
    {
        var options = new AgentOptions
        {
            NodeName = node,
            DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "ca-agent-" + Guid.NewGuid().ToString("N")[..8]),
            CounterInterval = TimeSpan.FromMilliseconds(100),
            RecoverOnStart = recoverOnStart,
        };
        configure?.Invoke(options);
        engine ??= new FakeCaptureEngine();
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("agent-test", builder =>
            {
                builder.AddHocon(Akka.TestKit.TestKitBase.DefaultConfig, HoconAddMode.Append);
                if (hocon is not null)
                {
                    builder.AddHocon(hocon, HoconAddMode.Prepend);
                }

                builder.AddCaptureAgent(options, engine, probes, tls);
            }))
            .Build();
        host.StartAsync().GetAwaiter().GetResult();
        return new AgentTestHost(host, options, engine);
    }

    public void Dispose()
    {
        Host.StopAsync().Wait(TimeSpan.FromSeconds(20));
        Host.Dispose();
    }
}
