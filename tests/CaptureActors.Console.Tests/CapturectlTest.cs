using System.Collections.Concurrent;
using Akka.Actor;
using CaptureActors.Console.Tests.Fakes;

namespace CaptureActors.Console.Tests;

/// <summary>Runs capturectl in-process against a fake agent guardian and captures its output.</summary>
public abstract class CapturectlTest : Akka.TestKit.Xunit2.TestKit
{
    private readonly ConcurrentQueue<object> _received = new();
    private Func<object, object?> _respond = _ => null;

    protected CapturectlTest()
    {
        var agent = Sys.ActorOf(FakeAgent.Props(message => _respond(message), _received), "fake-agent");
        Connector = new FakeConnector(Sys, agent);
    }

    protected FakeConnector Connector { get; }

    protected IReadOnlyList<object> Received => _received.ToArray();

    protected IEnumerable<T> ReceivedOf<T>() => _received.OfType<T>();

    protected void Respond(Func<object, object?> respond) => _respond = respond;

    protected Task<Result> Run(params string[] args) => Run(CancellationToken.None, args);

    protected async Task<Result> Run(CancellationToken cancellationToken, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CapturectlApp.RunAsync(args, Connector, stdout, stderr, cancellationToken);
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }

    protected sealed record Result(int ExitCode, string Out, string Error);
}
