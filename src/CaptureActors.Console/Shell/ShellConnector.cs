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
        var key = Key(target);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_open.TryGetValue(key, out var open))
            {
                var connection = await inner.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
                var actor = connection.System.ActorOf(ConsoleSessionActor.Props(), $"shell-session-{Guid.NewGuid():N}");
                open = new Open(target.NodeName, connection, new ShellCaptureOwner(actor));
                _open[key] = open;
            }

            return new AgentConnection(open.Connection.System, open.Connection.Agent) { Session = open.Owner };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Ends the shell's sessions: for each node, says which of the shell's captures still run, stops the session actor
    /// (the agent stops them: owner-lost), waits until they have stopped, reports how each ended, then disconnects.
    /// </summary>
    /// <param name="say">Where to tell the user (may fail silently when the terminal is gone).</param>
    public async Task CloseAsync(Action<string> say, TimeSpan askTimeout)
    {
        foreach (var open in _open.Values)
        {
            try
            {
                var client = new AgentClient(open.Connection.Agent, open.Node, askTimeout);
                var running = await RunningOwnCaptureAsync(client, open.Owner).ConfigureAwait(false);
                if (running is not null)
                {
                    say($"leaving the shell: stopping capture {running.CaptureId} on node {open.Node} (it was started in this shell)");
                }

                open.Connection.System.Stop(open.Owner.Actor);
                if (running is not null)
                {
                    var final = await WaitStoppedAsync(client, running.CaptureId!).ConfigureAwait(false);
                    say(final is null
                        ? $"capture {running.CaptureId} on node {open.Node} did not report stopped within {DurationText.Format(StopWait)}"
                        : $"capture {final.CaptureId} on node {open.Node} stopped: {final.StopReason?.ToText() ?? final.State.ToString()}");
                }
            }
            catch (CapturectlFailure e)
            {
                say($"node {open.Node}: {e.Message}");
            }
            finally
            {
                await open.Connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        _open.Clear();
    }

    private static async Task<CaptureStatus?> RunningOwnCaptureAsync(AgentClient client, ShellCaptureOwner owner)
    {
        if (owner.CaptureIds.Count == 0)
        {
            return null;
        }

        var status = await client.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
        return status.CaptureId is { } id && owner.CaptureIds.Contains(id) && IsActive(status) ? status : null;
    }

    private static async Task<CaptureStatus?> WaitStoppedAsync(AgentClient client, string captureId)
    {
        var deadline = DateTimeOffset.UtcNow + StopWait;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var status = await client.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
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
        ? string.Join(",", target.RemoteNodes.Select(n => $"{n.Name}={n.Host}:{n.Port}"))
        : $"embedded:{target.DataDirectory}:{target.NodeName}";

    private sealed record Open(string Node, AgentConnection Connection, ShellCaptureOwner Owner);
}
