using Akka.Actor;

namespace CaptureActors.Console.Agent;

/// <summary>
/// The console's session, owner of an attached capture: the agent watches it and stops the capture when it dies
/// (console exit or lost node). It needs no behaviour of its own; whatever the agent tells it is ignored.
/// </summary>
public sealed class ConsoleSessionActor : ReceiveActor
{
    public ConsoleSessionActor()
    {
        ReceiveAny(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new ConsoleSessionActor());
}
