using Akka.Actor;
using CaptureActors.Controller.Coordination;
using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Agent;

/// <summary>One selected node: its agent, or why it cannot be reached.</summary>
/// <param name="Session">The identity and role the agent granted this console (agents with TLS); null otherwise.</param>
public sealed record RemoteNode(NodeAddress Address, IActorRef? Agent, string? Error, SessionGranted? Session = null)
{
    public string Name => Address.Name;
}

/// <summary>
/// The console connected to several remote nodes at once: each agent resolved in parallel within a bound, the
/// unreachable ones named, never delaying the others.
/// </summary>
public sealed class RemoteNodes(RemoteConsoleHost host, IReadOnlyList<RemoteNode> nodes, bool ownsHost = true) : IAsyncDisposable
{
    public ActorSystem System => host.System;

    /// <summary>The shell's session on these nodes: an attached capture is bound to it and the command returns once it runs.</summary>
    public ShellCaptureOwner? Session { get; init; }

    public IReadOnlyList<RemoteNode> Nodes { get; } = nodes;

    public IReadOnlyList<(string Node, IActorRef Agent)> Reachable =>
        [.. Nodes.Where(n => n.Agent is not null).Select(n => (n.Name, n.Agent!))];

    public static async Task<RemoteNodes> ConnectAsync(AgentTarget target, CancellationToken cancellationToken)
    {
        var host = await RemoteConsoleHost.StartAsync(target, cancellationToken).ConfigureAwait(false);
        var resolved = await Task.WhenAll(target.RemoteNodes.Select(async node =>
        {
            try
            {
                var agent = await AgentResolver.ResolveAsync(host.System, node).ConfigureAwait(false);
                var session = await ConsoleIdentity.OpenAsync(host.System, agent, node.Name, target).ConfigureAwait(false);
                return new RemoteNode(node, session.Agent, null, session.Granted);
            }
            catch (NodeUnreachableException e)
            {
                return new RemoteNode(node, null, e.Message);
            }
            catch (CapturectlFailure e)
            {
                return new RemoteNode(node, null, e.Message);
            }
        })).ConfigureAwait(false);
        return new RemoteNodes(host, resolved);
    }

    /// <summary>Asks every reachable node; unreachable ones come back with their error.</summary>
    public async Task<IReadOnlyList<NodeReply<object>>> AskAllAsync(ICaptureProtocol request, TimeSpan timeout)
    {
        var answers = await NodeFanOut.AskAllAsync(Reachable, _ => request, timeout).ConfigureAwait(false);
        return [.. Nodes.Select(n => n.Agent is null
            ? new NodeReply<object>(n.Name, null, n.Error)
            : answers.Single(a => a.Node == n.Name))];
    }

    /// <summary>The same connections for one command of the shell: disposing the loan leaves them open.</summary>
    public RemoteNodes Lend(ShellCaptureOwner session) => new(host, Nodes, ownsHost: false) { Session = session };

    public ValueTask DisposeAsync() => ownsHost ? host.DisposeAsync() : ValueTask.CompletedTask;
}
