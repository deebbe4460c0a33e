using Akka.Actor;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CaptureActors.Controller.Sessions;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaptureActors.TestSupport;

/// <summary>
/// A plain actor system with Akka.Remote on 127.0.0.1 (a free port), as a controller or remote console would be:
/// resolves an agent's <c>akka.tcp://capture-agent@HOST:PORT/user/agent</c>, opens a session and asks it. No agent actors here.
/// </summary>
public sealed class RemoteAgentClient : IDisposable
{
    private readonly IHost _host;

    public RemoteAgentClient()
    {
        _host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("itest-client", akka => akka.WithRemoting("127.0.0.1", 0).AddCaptureProtocolSerialization()))
            .Build();
        _host.StartAsync().GetAwaiter().GetResult();
        System = _host.Services.GetRequiredService<ActorSystem>();
    }

    public ActorSystem System { get; }

    /// <summary>
    /// The agent at <paramref name="host"/>:<paramref name="port"/> as capturectl uses it: the session proxy after this
    /// process proved its local user on the agent's socket (a plain agent serves only root and its group).
    /// </summary>
    public async Task<IActorRef> ResolveAgentAsync(string host, int port, TimeSpan? timeout = null)
    {
        var guardian = await ResolveGuardianAsync(host, port, timeout).ConfigureAwait(false);
        return (await AgentSessions.OpenAsync(System, guardian, $"{host}:{port}", tls: null, timeout).ConfigureAwait(false)).Agent;
    }

    /// <summary>The agent's guardian itself (ActorSelection + ResolveOne), without a session: requests that need a role are refused.</summary>
    public Task<IActorRef> ResolveGuardianAsync(string host, int port, TimeSpan? timeout = null) =>
        System.ActorSelection(AgentAddress.Path(host, port)).ResolveOne(timeout ?? TimeSpan.FromSeconds(10));

    public void Dispose()
    {
        _host.StopAsync().Wait(TimeSpan.FromSeconds(20));
        _host.Dispose();
    }
}
