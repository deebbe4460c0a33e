using Akka.Actor;
using CaptureActors.Console.Agent;

namespace CaptureActors.Console.Tests.Fakes;

/// <summary>Hands out the fake agent; remembers whether any command connected at all.</summary>
public sealed class FakeConnector(ActorSystem system, IActorRef agent) : IAgentConnector
{
    public int Connections { get; private set; }

    public AgentTarget? LastTarget { get; private set; }

    public Task<AgentConnection> ConnectAsync(AgentTarget target, CancellationToken cancellationToken)
    {
        Connections++;
        LastTarget = target;
        return Task.FromResult(new AgentConnection(system, agent));
    }
}
