using CaptureActors.Console.Agent;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Shell;

/// <summary>
/// The shell's connections, lent to every command it runs: the first command for a node connects (embedded agent or
/// remote node) and creates the shell's session actor there; later commands get the same agent, ActorSystem and session,
/// and disposing what they get changes nothing. <see cref="CloseAsync"/> at the end of the shell stops the session
/// actors (so captures started from the shell stop, reason owner-lost), waits for those captures to end and
/// closes the connections.
/// </summary>
public sealed class ShellConnector(IAgentConnector inner) : IAgentConnector
{
    /// <summary>How long the end of the shell waits for its captures to stop before closing the connection anyway.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(20);

    private readonly Dictionary<string, Open> _open = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<AgentConnection> ConnectAsync(AgentTarget target, CancellationToken cancellationToken)
    {
        var open = await OpenAsync(target, async () =>
        {
            var connection = await inner.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return new Open(connection.System, [(target.NodeName, connection.Agent)], NewOwner(connection.System), connection.DisposeAsync, connection, null);
        }, cancellationToken).ConfigureAwait(false);
        return new AgentConnection(open.System, open.Connection!.Agent, downloadHost: open.Connection.DownloadHost) { Session = open.Owner };
    }

    public async Task<RemoteNodes> ConnectNodesAsync(AgentTarget target, CancellationToken cancellationToken)
    {
        var open = await OpenAsync(target, async () =>
        {
            var nodes = await inner.ConnectNodesAsync(target, cancellationToken).ConfigureAwait(false);
            return new Open(nodes.System, nodes.Reachable, NewOwner(nodes.System), nodes.DisposeAsync, null, nodes);
        }, cancellationToken).ConfigureAwait(false);
        return open.Nodes!.Lend(open.Owner);
    }

    /// <summary>
    /// Ends the shell's sessions: for each node, says which of the shell's captures still run, stops the session actor
    /// (the agents stop them: owner-lost), waits until they have stopped, reports how each ended, then disconnects.
    /// </summary>
    /// <param name="say">Where to tell the user (may fail silently when the terminal is gone).</param>
    public async Task CloseAsync(Action<string> say, TimeSpan askTimeout)
    {
        foreach (var open in _open.Values)
        {
            try
            {
                var running = new List<(AgentClient Client, CaptureStatus Status)>();
                foreach (var (node, agent) in open.Agents)
                {
                    var client = new AgentClient(agent, node, askTimeout);
                    if (await RunningOwnCaptureAsync(client, open.Owner).ConfigureAwait(false) is { } status)
                    {
                        say($"leaving the shell: stopping capture {status.CaptureId} on node {node} (it was started in this shell)");
                        running.Add((client, status));
                    }
                }

                open.System.Stop(open.Owner.Actor);
                await Task.WhenAll(running.Select(async r =>
                {
                    var final = await WaitStoppedAsync(r.Client, r.Status.CaptureId!).ConfigureAwait(false);
                    say(final is null
                        ? $"capture {r.Status.CaptureId} on node {r.Client.NodeName} did not report stopped within {DurationText.Format(StopWait)}"
                        : $"capture {final.CaptureId} on node {r.Client.NodeName} stopped: {final.StopReason?.ToText() ?? final.State.ToString()}");
                })).ConfigureAwait(false);
            }
            finally
            {
                await open.Dispose().ConfigureAwait(false);
            }
        }

        _open.Clear();
    }

    private static ShellCaptureOwner NewOwner(Akka.Actor.ActorSystem system) =>
        new(system.ActorOf(ConsoleSessionActor.Props(), $"shell-session-{Guid.NewGuid():N}"));

    private async Task<Open> OpenAsync(AgentTarget target, Func<Task<Open>> connect, CancellationToken cancellationToken)
    {
        var key = Key(target);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_open.TryGetValue(key, out var open))
            {
                open = await connect().ConfigureAwait(false);
                _open[key] = open;
            }

            return open;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<CaptureStatus?> RunningOwnCaptureAsync(AgentClient client, ShellCaptureOwner owner)
    {
        if (owner.CaptureIds.Count == 0)
        {
            return null;
        }

        CaptureStatus status;
        try
        {
            status = await client.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (CapturectlFailure)
        {
            return null;
        }

        return status.CaptureId is { } id && owner.CaptureIds.Contains(id) && IsActive(status) ? status : null;
    }

    private static async Task<CaptureStatus?> WaitStoppedAsync(AgentClient client, string captureId)
    {
        var deadline = DateTimeOffset.UtcNow + StopWait;
        while (DateTimeOffset.UtcNow < deadline)
        {
            CaptureStatus status;
            try
            {
                status = await client.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (CapturectlFailure)
            {
                return null;
            }

            if (status.CaptureId != captureId || !IsActive(status))
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        }

        return null;
    }

    private static bool IsActive(CaptureStatus status) => status.State is CaptureState.Starting or CaptureState.Running or CaptureState.Stopping;

    private static string Key(AgentTarget target) => target.IsRemote
        ? (target.RemoteNodes.Count > 1 ? "nodes:" : "node:") + string.Join(",", target.RemoteNodes.Select(n => $"{n.Name}={n.Host}:{n.Port}"))
        : $"embedded:{target.DataDirectory}:{target.NodeName}";

    /// <summary>One open connection: a single node's (<paramref name="Connection"/>) or several nodes' (<paramref name="Nodes"/>).</summary>
    private sealed record Open(
        Akka.Actor.ActorSystem System,
        IReadOnlyList<(string Node, Akka.Actor.IActorRef Agent)> Agents,
        ShellCaptureOwner Owner,
        Func<ValueTask> Dispose,
        AgentConnection? Connection,
        RemoteNodes? Nodes);
}
