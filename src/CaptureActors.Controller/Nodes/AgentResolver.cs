using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Controller.Nodes;

/// <summary>Finds a node's agent over Akka.Remote, within a bound, naming the node and the wait when it cannot.</summary>
public static class AgentResolver
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The agent's path as <paramref name="system"/> reaches it: <c>akka.ssl.tcp://</c> when it talks mutual TLS.</summary>
    public static string AgentPath(ActorSystem system, NodeAddress node) =>
        AgentAddress.Path(node.Host, node.Port, tls: MutualTlsSetup.Of(system) is not null);

    /// <summary>The agent's guardian; <see cref="NodeUnreachableException"/> when it does not answer in time.</summary>
    public static async Task<IActorRef> ResolveAsync(ActorSystem system, NodeAddress node, TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultTimeout;
        try
        {
            return await system.ActorSelection(AgentPath(system, node)).ResolveOne(wait).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ActorNotFoundException or TaskCanceledException)
        {
            // The kernel refused the connection: nothing listens on that port.
            if (await AgentConnectProbe.IsRefusedAsync(node).ConfigureAwait(false))
            {
                throw NodeUnreachableException.ConnectionRefused(node);
            }

            // When TLS is why (one side plain, a certificate of another CA), say so instead of "unreachable".
            var tls = await AgentTlsProbe.DiagnoseAsync(node, MutualTlsSetup.Of(system)).ConfigureAwait(false);
            throw tls is null ? new NodeUnreachableException(node, wait) : new NodeUnreachableException(node, tls);
        }
    }
}

/// <summary>A node's agent did not answer, refused this side (<see cref="TlsRefused"/>), or nothing listens on its port (<see cref="IsConnectionRefused"/>).</summary>
public sealed class NodeUnreachableException : Exception
{
    public NodeUnreachableException(NodeAddress node, TimeSpan waited)
        : base($"node '{node.Name}' ({node.Endpoint}) is unreachable: no agent answered within {waited.TotalSeconds:0.#} s")
    {
        Node = node;
    }

    /// <summary>The agent is there, and mutual TLS between it and this side failed: <paramref name="tlsProblem"/> says how.</summary>
    public NodeUnreachableException(NodeAddress node, string tlsProblem)
        : base($"node '{node.Name}' ({node.Endpoint}) refused the connection: {tlsProblem}")
    {
        Node = node;
        TlsRefused = true;
    }

    private NodeUnreachableException(NodeAddress node, string message, bool connectionRefused)
        : base(message)
    {
        Node = node;
        IsConnectionRefused = connectionRefused;
    }

    /// <summary>Connecting to the node's port was refused by its kernel: no agent listens there.</summary>
    public static NodeUnreachableException ConnectionRefused(NodeAddress node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new(
            node,
            $"node '{node.Name}' ({node.Endpoint}) is unreachable: connection refused (nothing listens on port {node.Port} of {node.Host}: is its agent running, with --listen on that port?)",
            connectionRefused: true);
    }

    public NodeAddress Node { get; }

    public bool TlsRefused { get; }

    /// <summary>The kernel refused the TCP connection (see <see cref="ConnectionRefused"/>).</summary>
    public bool IsConnectionRefused { get; }
}
