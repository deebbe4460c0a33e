using Akka.Actor;
using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol;

namespace CaptureActors.Controller.Coordination;

public enum NodeStartOutcome
{
    Started,
    Refused,
    Unreachable,
}

/// <summary>How one node took part in a coordinated start.</summary>
/// <param name="StartedAt">When the node started writing, on the controller's clock (node time minus its offset).</param>
/// <param name="Code">Why the node refused (e.g. <see cref="ErrorCode.InvalidFilter"/>), so a form can show it next to its field.</param>
public sealed record NodeStartResult(string Node, NodeStartOutcome Outcome, string? Message, CaptureStatus? Status, DateTimeOffset? StartedAt, ErrorCode? Code = null);

/// <summary>The result of starting one capture on many nodes.</summary>
/// <param name="ScheduledAt">The common instant, on the controller's clock.</param>
/// <param name="Skew">Latest minus earliest real start, on the controller's clock, over the nodes that started.</param>
/// <param name="SkewUncertainty">Half the slowest round trip of the clock measurements: how exact the skew can be.</param>
/// <param name="RolledBack">Nodes stopped again because another failed (all-or-nothing).</param>
public sealed record CoordinatedStartReport(
    string CaptureId,
    DateTimeOffset ScheduledAt,
    IReadOnlyList<NodeStartResult> Nodes,
    TimeSpan? Skew,
    TimeSpan SkewUncertainty,
    IReadOnlyList<string> RolledBack)
{
    public bool AllStarted => Nodes.All(n => n.Outcome == NodeStartOutcome.Started) && RolledBack.Count == 0;
}

/// <summary>A node to start on: its agent and the measured clock offset.</summary>
public sealed record CoordinatedNode(string Name, IActorRef Agent, TimeSpan ClockOffset, TimeSpan RoundTrip);

/// <summary>
/// Starts one capture (one id) on many nodes at a common instant scheduled a little ahead, each node's start time
/// corrected by its clock offset, and reports per node started / refused (why) / unreachable, and the real skew.
/// </summary>
public static class CoordinatedStart
{
    /// <summary>Margin added to the slowest round trip so every node has the request before the instant.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(500);

    public static Task<CoordinatedStartReport> StartAsync(
        IReadOnlyList<CoordinatedNode> nodes,
        CaptureOptions options,
        CaptureOwner owner,
        bool detached,
        IActorRef? ownerSession,
        bool allOrNothing,
        TimeSpan timeout) =>
        StartAsync(nodes, _ => options, owner, detached, ownerSession, allOrNothing, timeout);

    /// <summary>As above, with options of each node's own (e.g. interfaces from that node's inventory).</summary>
    public static async Task<CoordinatedStartReport> StartAsync(
        IReadOnlyList<CoordinatedNode> nodes,
        Func<CoordinatedNode, CaptureOptions> options,
        CaptureOwner owner,
        bool detached,
        IActorRef? ownerSession,
        bool allOrNothing,
        TimeSpan timeout)
    {
        var captureId = Guid.NewGuid().ToString("N")[..12];
        var slowest = nodes.Count == 0 ? TimeSpan.Zero : nodes.Max(n => n.RoundTrip);
        var scheduledAt = DateTimeOffset.UtcNow + Lead + slowest;

        var starts = nodes.Select(async node =>
        {
            var request = new StartCapture(options(node), owner, detached, ownerSession, captureId, scheduledAt + node.ClockOffset);
            object reply;
            try
            {
                reply = await node.Agent.Ask<object>(request, timeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                return new NodeStartResult(node.Name, NodeStartOutcome.Unreachable, $"no answer within {timeout.TotalSeconds:0.#} s", null, null);
            }

            return reply switch
            {
                CaptureStarted started => new NodeStartResult(
                    node.Name, NodeStartOutcome.Started, null, started.Status, started.Status.StartedAt - node.ClockOffset),
                CaptureRejected rejected => new NodeStartResult(node.Name, NodeStartOutcome.Refused, rejected.Message, null, null, rejected.Code),
                CommandFailed failed => new NodeStartResult(node.Name, NodeStartOutcome.Refused, failed.Message, null, null, failed.Code),
                _ => new NodeStartResult(node.Name, NodeStartOutcome.Refused, $"unexpected reply {reply.GetType().Name}", null, null),
            };
        });
        var results = await Task.WhenAll(starts).ConfigureAwait(false);

        var rolledBack = new List<string>();
        if (allOrNothing && results.Any(r => r.Outcome != NodeStartOutcome.Started))
        {
            var started = results.Where(r => r.Outcome == NodeStartOutcome.Started).ToList();
            var stops = started.Select(r => nodes.Single(n => n.Name == r.Node).Agent.Ask<object>(new StopCapture(captureId), timeout));
            await Task.WhenAll(stops).ConfigureAwait(false);
            rolledBack.AddRange(started.Select(r => r.Node));
        }

        var startTimes = results.Where(r => r.StartedAt is not null).Select(r => r.StartedAt!.Value).ToList();
        TimeSpan? skew = startTimes.Count > 0 ? startTimes.Max() - startTimes.Min() : null;
        return new CoordinatedStartReport(captureId, scheduledAt, results, skew, slowest / 2, rolledBack);
    }
}
