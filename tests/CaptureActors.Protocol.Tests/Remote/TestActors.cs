using System.Threading.Channels;
using Akka.Actor;

namespace CaptureActors.Protocol.Tests.Remote;

/// <summary>Replies with what it receives; a <see cref="StartCapture"/> also gets a <see cref="CaptureStarted"/> told to its owner session.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor()
    {
        Receive<StartCapture>(HandleStartCapture);
        ReceiveAny(message => Sender.Tell(message));
    }

    private void HandleStartCapture(StartCapture start)
    {
        start.OwnerSession?.Tell(new CaptureStarted(CaptureStatus.Idle("echo-node") with { State = CaptureState.Running, CaptureId = start.CaptureId, Owner = start.Owner }));
        Sender.Tell(start);
    }
}

/// <summary>Hands every message it receives to the test.</summary>
internal sealed class InboxActor : ReceiveActor
{
    public InboxActor(ChannelWriter<object> inbox) => ReceiveAny(message => inbox.TryWrite(message));
}
