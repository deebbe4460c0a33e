using System.Net.Sockets;

namespace CaptureActors.Controller.Nodes;

/// <summary>
/// Tells a closed port from a silent agent after a failed resolve: one plain TCP connect to the agent's port. Akka.Remote
/// reports both as an unanswered resolve; the kernel's refusal (RST) is worth saying, since it means nothing listens
/// there, not a slow network or a busy agent.
/// </summary>
public static class AgentConnectProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>True when connecting to <paramref name="node"/> is refused; false when it connects, times out or fails otherwise.</summary>
    public static async Task<bool> IsRefusedAsync(NodeAddress node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(Timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(node.Host, node.Port, bound.Token).ConfigureAwait(false);
            return false;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.ConnectionRefused;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
