namespace CaptureActors.Console.Agent;

/// <summary>What a command needs to reach a node's agent: the local node's data directory and name.</summary>
public sealed record AgentTarget(string DataDirectory, string NodeName);

/// <summary>
/// Yields the agent of a node as an actor reference. Production hosts the agent in this process
/// (<see cref="EmbeddedAgentConnector"/>); tests hand out a fake guardian; a remote node can come later.
/// </summary>
public interface IAgentConnector
{
    Task<AgentConnection> ConnectAsync(AgentTarget target, CancellationToken cancellationToken);
}
