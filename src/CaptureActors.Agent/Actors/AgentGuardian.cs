using Akka.Actor;
using CaptureActors.Agent.Hosting;
using CaptureActors.Capture;

namespace CaptureActors.Agent.Actors;

/// <summary>/user/agent: node identity; routes protocol requests to its children. (Skeleton.)</summary>
public sealed class AgentGuardian : ReceiveActor
{
    public AgentGuardian(AgentOptions options, ICaptureEngine engine)
    {
        _ = options;
        _ = engine;
    }

    public static Props Props(AgentOptions options, ICaptureEngine engine) =>
        Akka.Actor.Props.Create(() => new AgentGuardian(options, engine));
}
