using System.Threading.Channels;
using Akka.Actor;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Agent;

/// <summary>
/// Runs one probe on one node's agent: sends the request from a receiver actor of its own, hands every event to
/// the caller as it arrives and returns the result. Ctrl-C (the token) asks the node to stop the probe and waits
/// a little for what it saw (a ping summary); a node lost meanwhile ends the run with <see cref="ErrorCode.NodeLost"/>.
/// </summary>
public static class ProbeClient
{
    /// <summary>How long after a cancel the node may take to send the probe's last result.</summary>
    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

    /// <returns>The probe's result, or <see cref="ProbeFailed"/> for a probe that failed or a node that was lost.</returns>
    /// <exception cref="OperationCanceledException">Cancelled, and the node had no result to give.</exception>
    public static async Task<IProbeResult> RunAsync(
        ActorSystem system,
        IActorRef agent,
        string node,
        Func<string, IProbeCommand> create,
        Action<IProbeEvent>? onEvent,
        CancellationToken cancellationToken)
    {
        var command = create(Guid.NewGuid().ToString("N"));
        var inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var receiver = system.ActorOf(ProbeReceiver.Props(agent, inbox.Writer));
        using var grace = new CancellationTokenSource();
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            agent.Tell(command, receiver);
            await using var onCancel = cancellationToken.Register(() =>
            {
                agent.Tell(new CancelProbe(command.ProbeId), receiver);
                grace.CancelAfter(CancelGrace);
            }).ConfigureAwait(false);

            await foreach (var message in inbox.Reader.ReadAllAsync(grace.Token).ConfigureAwait(false))
            {
                switch (message)
                {
                    case IProbeEvent probeEvent when probeEvent.ProbeId == command.ProbeId:
                        onEvent?.Invoke(probeEvent);
                        break;
                    case ProbeFailed { Code: ErrorCode.Cancelled } when cancellationToken.IsCancellationRequested:
                        throw new OperationCanceledException(cancellationToken);
                    case IProbeResult result when result.ProbeId == command.ProbeId:
                        return result;
                    case ProbeReceiver.AgentLost:
                        return new ProbeFailed(command.ProbeId, ErrorCode.NodeLost, $"node '{node}' was lost while running {command.GetType().Name}");
                }
            }
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            system.Stop(receiver);
        }

        throw new InvalidOperationException("the probe's inbox closed without a result");
    }

    /// <summary>Collects what the agent sends for one probe; watches the agent so a lost node ends the wait.</summary>
    private sealed class ProbeReceiver : ReceiveActor
    {
        public ProbeReceiver(IActorRef agent, ChannelWriter<object> inbox)
        {
            Context.Watch(agent);
            Receive<Terminated>(t => t.ActorRef.Equals(agent), _ => { inbox.TryWrite(AgentLost.Instance); });
            ReceiveAny(m => { inbox.TryWrite(m); });
        }

        public static Props Props(IActorRef agent, ChannelWriter<object> inbox) =>
            Akka.Actor.Props.Create(() => new ProbeReceiver(agent, inbox));

        public sealed record AgentLost
        {
            public static readonly AgentLost Instance = new();
        }
    }
}
