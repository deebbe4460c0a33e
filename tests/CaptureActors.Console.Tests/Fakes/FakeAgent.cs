using System.Collections.Concurrent;
using Akka.Actor;

namespace CaptureActors.Console.Tests.Fakes;

/// <summary>A stand-in agent guardian: records every request and answers with what the test's responder returns.</summary>
public sealed class FakeAgent : ReceiveActor
{
    public FakeAgent(Func<object, object?> respond, ConcurrentQueue<object> received)
    {
        ReceiveAny(message =>
        {
            received.Enqueue(message);
            if (respond(message) is { } reply)
            {
                Sender.Tell(reply);
            }
        });
    }

    public static Props Props(Func<object, object?> respond, ConcurrentQueue<object> received) =>
        Akka.Actor.Props.Create(() => new FakeAgent(respond, received));
}
