using Akka.Actor;
using Akka.Event;
using CaptureActors.Probes;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// <c>probes</c>: runs each probe request in a short-lived child (<see cref="ProbeRun"/>) so no probe ever waits
/// behind another or delays capture messages, which go to a different actor. A requester can cancel its own probes
/// (<see cref="CancelProbe"/>); at most <see cref="MaxRunning"/> run at once, more are refused.
/// </summary>
public sealed class ProbeRouter : ReceiveActor
{
    /// <summary>Probes running at once on one node; bounds what a careless or hostile script can start.</summary>
    public const int MaxRunning = 32;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ProbeCatalog _catalog;
    private readonly Dictionary<(IActorRef Requester, string ProbeId), IActorRef> _running = [];
    private long _sequence;

    public ProbeRouter(ProbeCatalog catalog)
    {
        _catalog = catalog;
        Receive<IProbeCommand>(HandleProbe);
        Receive<CancelProbe>(HandleCancel);
        Receive<Terminated>(HandleTerminated);
    }

    public static Props Props(ProbeCatalog catalog) => Akka.Actor.Props.Create(() => new ProbeRouter(catalog));

    private void HandleProbe(IProbeCommand command)
    {
        var key = (Sender, command.ProbeId);
        if (!_catalog.Knows(command))
        {
            Sender.Tell(new ProbeFailed(command.ProbeId, ErrorCode.InvalidArgument, $"this agent has no probe for {command.GetType().Name}"));
            return;
        }

        if (_running.ContainsKey(key))
        {
            Sender.Tell(new ProbeFailed(command.ProbeId, ErrorCode.InvalidArgument, $"probe '{command.ProbeId}' is already running"));
            return;
        }

        if (_running.Count >= MaxRunning)
        {
            Sender.Tell(new ProbeFailed(command.ProbeId, ErrorCode.Refused, $"{MaxRunning} probes are already running on this node; try again when one has ended"));
            return;
        }

        var child = Context.ActorOf(ProbeRun.Props(_catalog, command, Sender), $"probe-{++_sequence}");
        Context.Watch(child);
        _running[key] = child;
        _log.Debug("Probe {0} ({1}) for {2} runs as {3}", command.ProbeId, command.GetType().Name, Sender.Path, child.Path.Name);
    }

    private void HandleCancel(CancelProbe cancel)
    {
        if (_running.TryGetValue((Sender, cancel.ProbeId), out var child))
        {
            child.Tell(cancel);
        }
    }

    private void HandleTerminated(Terminated terminated)
    {
        foreach (var key in _running.Where(pair => pair.Value.Equals(terminated.ActorRef)).Select(pair => pair.Key).ToList())
        {
            _running.Remove(key);
        }
    }
}
