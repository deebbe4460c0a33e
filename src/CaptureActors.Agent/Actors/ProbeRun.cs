using Akka.Actor;
using Akka.Event;
using CaptureActors.Probes;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// One probe request: runs it as a Task off the actor's thread, sends its events to the requester as they happen
/// and its one result at the end, then stops. Cancelled by <see cref="CancelProbe"/>, by the requester's death
/// (DeathWatch: a console that exits or is lost takes its probes with it) and by the probe's ceiling.
/// </summary>
public sealed class ProbeRun : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ProbeCatalog _catalog;
    private readonly IProbeCommand _command;
    private readonly IActorRef _requester;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TimeSpan _ceiling;
    private bool _ceilingReached;

    public ProbeRun(ProbeCatalog catalog, IProbeCommand command, IActorRef requester)
    {
        _catalog = catalog;
        _command = command;
        _requester = requester;
        _ceiling = catalog.Ceiling(command);

        Receive<CancelProbe>(_ => _cancellation.Cancel());
        Receive<CeilingReached>(_ => HandleCeiling());
        Receive<Finished>(HandleFinished);
        Receive<Terminated>(t => t.ActorRef.Equals(_requester), _ => HandleRequesterGone());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ProbeCatalog catalog, IProbeCommand command, IActorRef requester) =>
        Akka.Actor.Props.Create(() => new ProbeRun(catalog, command, requester));

    protected override void PreStart()
    {
        Context.Watch(_requester);
        Timers.StartSingleTimer("ceiling", CeilingReached.Instance, _ceiling);
        var self = Self;
        var requester = _requester;
        var context = new ProbeContext(e => requester.Tell(e, ActorRefs.NoSender), _cancellation.Token);
        Task.Run(() => _catalog.RunAsync(_command, context), _cancellation.Token)
            .ContinueWith(task => new Finished(task), TaskScheduler.Default)
            .PipeTo(self);
    }

    protected override void PostStop()
    {
        _cancellation.Cancel();
        _cancellation.Dispose();
    }

    private void HandleCeiling()
    {
        _ceilingReached = true;
        _cancellation.Cancel();
    }

    private void HandleRequesterGone()
    {
        _log.Info("Requester of probe {0} is gone; stopping it", _command.ProbeId);
        Context.Stop(Self);
    }

    private void HandleFinished(Finished finished)
    {
        _requester.Tell(Result(finished.Task));
        Context.Stop(Self);
    }

    private IProbeResult Result(Task<IProbeResult> task)
    {
        var id = _command.ProbeId;
        if (task.IsCompletedSuccessfully)
        {
            return task.Result;
        }

        var error = task.Exception?.GetBaseException();
        return error switch
        {
            ProbeException probe => new ProbeFailed(id, probe.Code, probe.Message),
            _ when _ceilingReached => new ProbeFailed(id, ErrorCode.Timeout, $"{_command.GetType().Name} did not finish within {DurationText.Format(_ceiling)}"),
            null or OperationCanceledException => new ProbeFailed(id, ErrorCode.Cancelled, "stopped on request"),
            _ => Unexpected(error),
        };

        ProbeFailed Unexpected(Exception e)
        {
            _log.Error(e, "Probe {0} ({1}) failed", id, _command.GetType().Name);
            return new ProbeFailed(id, ErrorCode.Internal, $"{_command.GetType().Name} failed: {e.Message}");
        }
    }

    private sealed record Finished(Task<IProbeResult> Task);

    private sealed record CeilingReached
    {
        public static readonly CeilingReached Instance = new();
    }
}
