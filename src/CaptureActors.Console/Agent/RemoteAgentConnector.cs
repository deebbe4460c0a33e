using CaptureActors.Controller.Nodes;

namespace CaptureActors.Console.Agent;

/// <summary>One remote node (<c>--node NAME=HOST:PORT</c>): every single-node command runs against its agent over Akka.Remote.</summary>
public sealed class RemoteAgentConnector : IAgentConnector
{
    public async Task<AgentConnection> ConnectAsync(AgentTarget target, CancellationToken cancellationToken)
    {
        var node = target.RemoteNodes.Count == 1
            ? target.RemoteNodes[0]
            : throw new UsageException($"this command runs on one node at a time: choose one with --on (selected: {string.Join(", ", target.RemoteNodes.Select(n => n.Name))})");
        var host = await RemoteConsoleHost.StartAsync(target, cancellationToken).ConfigureAwait(false);
        try
        {
            var agent = await AgentResolver.ResolveAsync(host.System, node).ConfigureAwait(false);
            var session = await ConsoleIdentity.OpenAsync(host.System, agent, node.Name, target).ConfigureAwait(false);
            return new AgentConnection(host.System, session.Agent, host.DisposeAsync, node.Host);
        }
        catch (CapturectlFailure)
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (NodeUnreachableException e)
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw new CapturectlFailure(e.Message, e.TlsRefused || e.IsConnectionRefused ? Protocol.ErrorCode.Refused : Protocol.ErrorCode.Timeout);
        }
    }
}
