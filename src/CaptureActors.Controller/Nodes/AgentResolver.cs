using Akka.Actor;

namespace CaptureActors.Controller.Nodes;

/// <summary>Finds a node's agent over Akka.Remote, within a bound, naming the node and the wait when it cannot.</summary>
public static class AgentResolver
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The agent's guardian; <see cref="NodeUnreachableException"/> when it does not answer in time.</summary>
    public static async Task<IActorRef> ResolveAsync(ActorSystem system, NodeAddress node, TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultTimeout;
        try
        {
            return await system.ActorSelection(node.AgentPath).ResolveOne(wait).ConfigureAwait(false);
        }
        catch (ActorNotFoundException)
        {
            throw new NodeUnreachableException(node, wait);
        }
        catch (TaskCanceledException)
        {
            throw new NodeUnreachableException(node, wait);
        }
    }
}

/// <summary>A node's agent did not answer.</summary>
public sealed class NodeUnreachableException(NodeAddress node, TimeSpan waited)
    : Exception($"node '{node.Name}' ({node.Endpoint}) is unreachable: no agent answered within {waited.TotalSeconds:0.#} s")
{
    public NodeAddress Node { get; } = node;
}
