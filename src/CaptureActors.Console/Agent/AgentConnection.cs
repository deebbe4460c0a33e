using Akka.Actor;

namespace CaptureActors.Console.Agent;

/// <summary>
/// An open connection to a node's agent: the guardian to ask, and the console's own ActorSystem
/// (where session actors live). Disposing shuts down what the connector started.
/// </summary>
/// <param name="downloadHost">The host the node's download channel is reached on (the node's own host); null when files
/// travel only as chunks (the embedded agent: local messages, no socket to open).</param>
public sealed class AgentConnection(ActorSystem system, IActorRef agent, Func<ValueTask>? shutdown = null, string? downloadHost = null) : IAsyncDisposable
{
    public ActorSystem System { get; } = system;

    public IActorRef Agent { get; } = agent;

    public string? DownloadHost { get; } = downloadHost;

    /// <summary>
    /// A console session that outlives this command (the shell's): an attached capture is bound to it and the command
    /// returns once the capture runs. Null: the command owns its capture for as long as it runs.
    /// </summary>
    public ShellCaptureOwner? Session { get; init; }

    public ValueTask DisposeAsync() => shutdown?.Invoke() ?? ValueTask.CompletedTask;
}
