using Akka.Actor;
using CaptureActors.Protocol;

namespace CaptureActors.Controller.Tests;

/// <summary>An agent stand-in: a clock off by <c>offset</c>, starts that succeed, are refused, or are never answered.</summary>
public sealed class FakeAgent : ReceiveActor
{
    public enum Behaviour
    {
        Start,
        Refuse,
        Silent,
    }

    public FakeAgent(string node, TimeSpan offset, Behaviour behaviour, IActorRef observer)
    {
        Receive<IdentifyAgent>(_ => Sender.Tell(new AgentIdentity(node, "0.1.0", "/data", DateTimeOffset.UtcNow + offset)));
        Receive<StartCapture>(start =>
        {
            observer.Tell((node, (object)start));
            switch (behaviour)
            {
                case Behaviour.Start:
                    var status = CaptureStatus.Idle(node) with { State = CaptureState.Running, CaptureId = start.CaptureId, StartedAt = start.StartAt };
                    Sender.Tell(new CaptureStarted(status));
                    break;
                case Behaviour.Refuse:
                    Sender.Tell(new CaptureRejected(ErrorCode.AlreadyRunning, $"{node} is busy"));
                    break;
            }
        });
        Receive<StopCapture>(stop =>
        {
            observer.Tell((node, (object)stop));
            Sender.Tell(new CaptureStopped(true, CaptureStatus.Idle(node)));
        });
    }

    public static Props Props(string node, TimeSpan offset, Behaviour behaviour, IActorRef observer) =>
        Akka.Actor.Props.Create(() => new FakeAgent(node, offset, behaviour, observer));
}
