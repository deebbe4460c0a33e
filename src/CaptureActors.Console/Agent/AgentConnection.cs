using Akka.Actor;

namespace CaptureActors.Console.Agent;

/// <summary>
/// An open connection to a node's agent: the guardian to ask, and the console's own ActorSystem
/// (where session actors live). Disposing shuts down what the connector started.
/// </summary>
public sealed class AgentConnection(ActorSystem system, IActorRef agent, Func<ValueTask>? shutdown = null) : IAsyncDisposable
{
    public ActorSystem System { get; } = system;

    public IActorRef Agent { get; } = agent;

    /// <summary>
    /// A console session that outlives this command (the shell's): an attached capture is bound to it and the command
    /// returns once the capture runs. Null: the command owns its capture for as long as it runs.
    /// </summary>
    public ShellCaptureOwner? Session { get; init; }

    public ValueTask DisposeAsync() => shutdown?.Invoke() ?? ValueTask.CompletedTask;
}
