using Akka.Actor;
using CaptureActors.Protocol;

namespace CaptureActors.Web.Tests;

/// <summary>An agent stand-in for the page: answers identity and status, starts or refuses with a given code, refuses filters with 'banana', tells the observer what it got.</summary>
public sealed class FakeAgent : ReceiveActor
{
    public FakeAgent(string node, CaptureRejected? refusal, IActorRef observer)
    {
        var status = CaptureStatus.Idle(node);
        Receive<IdentifyAgent>(_ => Sender.Tell(new AgentIdentity(node, "0.1.0", "/data", DateTimeOffset.UtcNow)));
        Receive<GetCaptureStatus>(_ => Sender.Tell(status));
        Receive<StartCapture>(start =>
        {
            observer.Tell((node, (object)start));
            if (refusal is not null)
            {
                Sender.Tell(refusal);
                return;
            }

            status = status with { State = CaptureState.Running, CaptureId = start.CaptureId, Owner = start.Owner, Detached = start.Detached, StartedAt = start.StartAt };
            Sender.Tell(new CaptureStarted(status));
        });
        Receive<CheckFilter>(check =>
        {
            observer.Tell((node, (object)check));
            var bad = check.Filter.Contains("banana", StringComparison.Ordinal);
            Sender.Tell(new FilterChecked(node, check.Filter, !bad, bad ? $"invalid filter '{check.Filter}': unknown port 'banana'" : null));
        });
        Receive<DeleteFiles>(delete =>
        {
            observer.Tell((node, (object)delete));
            Sender.Tell(new FilesDeleted([.. delete.Names.Where(n => n.StartsWith(node, StringComparison.Ordinal))], [.. delete.Names.Where(n => !n.StartsWith(node, StringComparison.Ordinal)).Select(n => new FileRefusal(n, ErrorCode.UnknownFile, $"no capture file '{n}'"))]));
        });
    }

    public static Props Props(string node, CaptureRejected? refusal, IActorRef observer) =>
        Akka.Actor.Props.Create(() => new FakeAgent(node, refusal, observer));
}
