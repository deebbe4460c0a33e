using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Console.Agent;

/// <summary>What a command needs to reach a node's agent: the local node's data directory and name.</summary>
/// <param name="Nodes">Remote nodes selected with --node/--nodes and --on/--all; empty: the embedded agent.</param>
/// <param name="ConsoleHost">Address remote agents reach this console on; null: chosen from the nodes.</param>
/// <param name="Tls">Mutual TLS files for talking to remote agents (<c>--tls-cert/--tls-key/--tls-ca</c>); null: plain TCP.</param>
public sealed record AgentTarget(string DataDirectory, string NodeName, IReadOnlyList<NodeAddress>? Nodes = null, string? ConsoleHost = null, TlsFiles? Tls = null)
{
    public IReadOnlyList<NodeAddress> RemoteNodes => Nodes ?? [];

    public bool IsRemote => RemoteNodes.Count > 0;
}

/// <summary>
/// Yields the agent of a node as an actor reference. Production hosts the agent in this process
/// (<see cref="EmbeddedAgentConnector"/>); tests hand out a fake guardian; a remote node can come later.
/// </summary>
public interface IAgentConnector
{
    Task<AgentConnection> ConnectAsync(AgentTarget target, CancellationToken cancellationToken);

    /// <summary>Several remote nodes at once (<c>--on a,b</c>, <c>--all</c>); disposing the result disconnects.</summary>
    Task<RemoteNodes> ConnectNodesAsync(AgentTarget target, CancellationToken cancellationToken) =>
        RemoteNodes.ConnectAsync(target, cancellationToken);
}
