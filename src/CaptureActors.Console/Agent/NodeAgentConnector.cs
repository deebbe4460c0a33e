namespace CaptureActors.Console.Agent;

/// <summary>The embedded agent when no node is given, the remote one otherwise.</summary>
public sealed class NodeAgentConnector(IAgentConnector embedded, IAgentConnector remote) : IAgentConnector
{
    public Task<AgentConnection> ConnectAsync(AgentTarget target, CancellationToken cancellationToken) =>
        (target.IsRemote ? remote : embedded).ConnectAsync(target, cancellationToken);
}
