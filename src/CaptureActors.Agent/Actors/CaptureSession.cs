using Akka.Actor;
using Akka.Event;
using CaptureActors.Agent.Disk;
using CaptureActors.Agent.Hosting;
using CaptureActors.Agent.Storage;
using CaptureActors.Capture;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// <c>session-&lt;captureId&gt;</c>: one capture over one or more interfaces. Starts an <see cref="InterfaceCapture"/>
/// per interface, enforces the capture-wide end (a limit on one interface ends all, a vanished interface ends only
/// itself), watches its owner while attached, writes the sidecar, and reports to the supervisor.
/// </summary>
public sealed partial class CaptureSession : ReceiveActor, IWithTimers
{
    /// <summary>What to capture, decided by the supervisor.</summary>
    /// <param name="Resume">Set when a detached capture resumes after an agent restart (CaptureSession.Resume.cs).</param>
    public sealed record Plan(
        string CaptureId,
        string Node,
        CaptureSettings Settings,
        CaptureOwner Owner,
        bool Detached,
        IActorRef? OwnerSession,
        DateTimeOffset StartedAt,
        CaptureResumption? Resume = null);

    /// <summary>Counters changed: the supervisor answers status from these.</summary>
    public sealed record Progress(CaptureStatus Status);

    /// <summary>
    /// The capture is over, its files closed and its sidecar written; the session stops next. The supervisor frees the
    /// node and only then sends <paramref name="Replies"/>, so whoever hears "stopped" finds the node free.
    /// </summary>
    public sealed record Ended(CaptureStatus Status, IReadOnlyList<Reply> Replies);

    /// <summary>A reply the supervisor sends on the session's behalf once the node is free.</summary>
    public sealed record Reply(IActorRef To, object Message);

    /// <summary>Stop for a reason other than a user's request (agent shutdown).</summary>
    public sealed record StopFor(StopReason Reason);

    /// <summary>Measure the disk now: the guard's timer, and each interface's writer every <see cref="DiskGuardSettings.CheckEveryBytes"/> written.</summary>
    public sealed record CheckDisk
    {
        public static readonly CheckDisk Instance = new();
    }

    private sealed class InterfaceState(string name)
    {
        public string Name { get; } = name;
        public bool Started { get; set; }
        public InterfaceCounters Counters { get; set; }
        public InterfaceCaptureResult? Result { get; set; }
        public string? StartError { get; set; }

        /// <summary>The closed segments the sidecar lists now (rewritten when the engine publishes others).</summary>
        public ClosedSegments? SidecarClosed { get; set; }
        public bool Done => Result is not null || StartError is not null;

        /// <summary>Why this interface did not start or ended badly, if it did.</summary>
        public string? Error => StartError ?? Result?.Error;
    }

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Plan _plan;
    private readonly AgentOptions _options;
    private readonly ICaptureEngine _engine;
    private readonly Dictionary<string, InterfaceState> _interfaces;
    private readonly Dictionary<IActorRef, string> _children = [];
    private readonly List<IActorRef> _stopWaiters = [];
    private IActorRef? _starter;
    private CaptureState _state = CaptureState.Starting;
    private StopReason? _stopReason;
    private CaptureRejected? _startFailure;
    private DateTimeOffset? _stoppedAt;
    private DateTimeOffset _activeFrom;
    private readonly DiskGuard _disk;
    private SidecarReserve? _reserve;
    private string? _diskStop;
    private readonly System.Diagnostics.Stopwatch _lastDiskCheck = new();

    private bool IsOver => _state is CaptureState.Stopped or CaptureState.Failed;

    private string? FirstInterfaceError => _interfaces.Values.Select(i => i.Error).FirstOrDefault(e => e is not null) ?? _diskStop;

    public CaptureSession(Plan plan, AgentOptions options, ICaptureEngine engine, IActorRef starter)
    {
        _plan = plan;
        _options = options;
        _engine = engine;
        _starter = starter;
        _interfaces = plan.Settings.Interfaces.ToDictionary(i => i, i => new InterfaceState(i));
        _activeFrom = plan.Resume is null ? plan.StartedAt : DateTimeOffset.UtcNow;
        _disk = new DiskGuard(options.CaptureDirectory, options.Disk ?? DiskGuardSettings.Default, options.DiskSpace);

        Receive<CheckDisk>(_ => HandleCheckDisk());
        Receive<InterfaceCapture.Started>(HandleStarted);
        Receive<InterfaceCapture.StartFailed>(HandleStartFailed);
        Receive<InterfaceCapture.Progress>(HandleProgress);
        Receive<InterfaceCapture.Finished>(HandleFinished);
        Receive<StopCapture>(_ => HandleStop(StopReason.ByRequest, Sender));
        Receive<StopFor>(m => HandleStop(m.Reason, Sender));
        Receive<Terminated>(HandleTerminated);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Plan plan, AgentOptions options, ICaptureEngine engine, IActorRef starter) =>
        Akka.Actor.Props.Create(() => new CaptureSession(plan, options, engine, starter));

    public static string SidecarName(Plan plan) => CaptureFileNames.Sidecar(plan.Node, plan.StartedAt, plan.CaptureId);

    /// <summary>An interface capture that throws is not restarted (it would overwrite its file): it is stopped and reported.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        Directory.CreateDirectory(_options.CaptureDirectory);
        WriteSidecar();
        _reserve = SidecarReserve.TryCreate(Path.Combine(_options.CaptureDirectory, SidecarName(_plan)));
        if (_reserve is null)
        {
            _log.Warning("No room for the sidecar reserve of capture {0}: a full disk may leave its sidecar unfinished", _plan.CaptureId);
        }

        Timers.StartPeriodicTimer("disk", CheckDisk.Instance, _disk.Settings.CheckInterval);
        if (!_plan.Detached && _plan.OwnerSession is { } owner)
        {
            Context.Watch(owner);
        }

        var deadline = RunDeadline();
        foreach (var name in _plan.Settings.Interfaces)
        {
            var prefix = CaptureFileNames.FilePrefix(_plan.Node, name, _plan.StartedAt);
            var first = CaptureFileNames.FirstFreeSequence(_options.CaptureDirectory, prefix);
            var request = new InterfaceCaptureRequest(
                name,
                _plan.Settings.Filter,
                _plan.Settings.SnapLength,
                _plan.Settings.Promiscuous,
                sequence => Path.Combine(_options.CaptureDirectory, CaptureFileNames.Pcap(_plan.Node, name, _plan.StartedAt, first + sequence - 1)),
                FileSizeLimit(name),
                _plan.Settings.RingFiles,
                deadline,
                _options.FlushInterval,
                _plan.StartedAt,
                IsKept,
                WrittenEveryBytes: _disk.Settings.CheckEveryBytes);
            var child = Context.ActorOf(InterfaceCapture.Props(request, _engine, _options.CounterInterval), "if-" + CaptureFileNames.SafePart(name));
            _children[child] = name;
            Context.Watch(child);
        }
    }

    private bool IsKept(string path) => KeepList.Load(_options.DataDirectory).Contains(Path.GetFileName(path));

    /// <summary>
    /// The disk guard's tick: within the floor and the quota nothing happens; over them a ring deletes its oldest
    /// finished files (never a file being written or a kept one), anything else stops with <c>disk-floor</c>.
    /// </summary>
    private void HandleCheckDisk()
    {
        // The timer's ticks and the writers' requests share one bound: a listing of a large directory costs milliseconds.
        if (_state != CaptureState.Running || _lastDiskCheck.IsRunning && _lastDiskCheck.Elapsed < DiskGuardSettings.MinCheckInterval)
        {
            return;
        }

        _lastDiskCheck.Restart();

        DiskCheck check;
        IReadOnlyList<DeletableFile> deletable;
        try
        {
            check = _disk.Check();
            deletable = check.BytesToFree > 0 && _plan.Settings.RingFiles is not null ? DeletableFiles() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Disk guard of capture {0} could not measure {1}: {2}", _plan.CaptureId, _options.CaptureDirectory, e.Message);
            return;
        }

        var decision = DiskGuard.Decide(check, _plan.Settings.RingFiles is not null, deletable);
        if (decision.StopBecause is { } because)
        {
            _log.Warning("Disk guard stops capture {0}: {1}", _plan.CaptureId, because);
            _diskStop = "disk-floor: " + because;
            BeginStopping(StopReason.DiskFloor);
            FinishIfDone();
            return;
        }

        if (decision.Deletions.Count > 0)
        {
            _log.Warning("Disk guard of capture {0}: {1}; deleting the ring's {2} oldest finished file(s)", _plan.CaptureId, check.Problem(), decision.Deletions.Count);
            foreach (var file in decision.Deletions)
            {
                // A file from before an agent restart belongs to no engine of this run: the session deletes it.
                if (DeleteEarlierFile(file.Interface, Path.GetFileName(file.Path), "the disk guard"))
                {
                    continue;
                }

                if (_children.FirstOrDefault(c => c.Value == file.Interface).Key is { } child)
                {
                    child.Tell(new InterfaceCapture.DeleteSegment(file.Path));
                }
            }
        }
    }

    /// <summary>
    /// This capture's finished files, oldest first, without kept files and without each interface's newest file: the one
    /// being written (the next segment is created before anything is written to it, so the newest is always the current
    /// one, whereas the counters may be a tick old). The engine refuses to delete its current file all the same.
    /// </summary>
    private List<DeletableFile> DeletableFiles()
    {
        var kept = KeepList.Load(_options.DataDirectory);
        var files = new List<(DeletableFile File, DateTime Modified, string Name)>();
        foreach (var name in _interfaces.Keys)
        {
            var prefix = CaptureFileNames.FilePrefix(_plan.Node, name, _plan.StartedAt);
            var segments = new DirectoryInfo(_options.CaptureDirectory).EnumerateFiles(prefix + "*" + CaptureFileNames.PcapExtension)
                .Where(f => CaptureFileNames.IsCaptureFileName(f.Name))
                .OrderBy(f => CaptureFileNames.SequenceOf(f.Name))
                .ToList();
            foreach (var file in segments.SkipLast(1).Where(f => !kept.Contains(f.Name)))
            {
                files.Add((new DeletableFile(Path.Combine(_options.CaptureDirectory, file.Name), name, file.Length), file.LastWriteTimeUtc, file.Name));
            }
        }

        return [.. files.OrderBy(f => f.Modified).ThenBy(f => f.Name, StringComparer.Ordinal).Select(f => f.File)];
    }

    protected override void PostStop() => _reserve?.Dispose();

    private void HandleStarted(InterfaceCapture.Started started)
    {
        _interfaces[started.Interface].Started = true;
        if (_state == CaptureState.Starting && _interfaces.Values.All(i => i.Started))
        {
            _state = CaptureState.Running;

            // A scheduled start whose devices opened after the instant really began now: status tells the truth.
            var now = DateTimeOffset.UtcNow;
            if (now > _activeFrom)
            {
                _activeFrom = now;
            }
            _log.Info("Capture {0} runs on {1}", _plan.CaptureId, string.Join(", ", _interfaces.Keys));
            var status = Status();
            Context.Parent.Tell(new Progress(status));
            _starter?.Tell(new CaptureStarted(status));
            _starter = null;
        }
    }

    private void HandleStartFailed(InterfaceCapture.StartFailed failed)
    {
        _interfaces[failed.Interface].StartError = failed.Message;
        if (_state == CaptureState.Starting)
        {
            // All or nothing: a capture that cannot open every interface does not run on the others.
            // Answered once the node is free again (see FinishIfDone), so a corrected start can follow at once.
            _startFailure = new CaptureRejected(ToErrorCode(failed.Error), failed.Message);
            BeginStopping(StopReason.Error);
        }

        FinishIfDone();
    }

    private void HandleProgress(InterfaceCapture.Progress progress)
    {
        var state = _interfaces[progress.Interface];
        state.Counters = progress.Counters;
        TrimEarlierRingFiles(progress.Interface, progress.Counters);

        // A segment closed (or the ring deleted one): the sidecar lists the closed ones with their counts and SHA-256,
        // so they are finished files (listed, verified, deletable) while the capture runs on.
        if (!IsOver && progress.Counters.Closed is { } closed && !ReferenceEquals(closed, state.SidecarClosed))
        {
            state.SidecarClosed = closed;
            WriteSidecar();
        }

        if (_state is CaptureState.Running or CaptureState.Stopping)
        {
            Context.Parent.Tell(new Progress(Status()));
        }
    }

    private void HandleFinished(InterfaceCapture.Finished finished)
    {
        var state = _interfaces[finished.Interface];
        state.Result = finished.Result;
        state.Counters = finished.Result.Counters;
        var reason = ToStopReason(finished.Result.Reason);

        // A limit or an error on one interface ends the capture; a vanished interface ends only itself.
        if (finished.Result.Reason is not CaptureEndReason.Stopped and not CaptureEndReason.InterfaceGone)
        {
            BeginStopping(reason);
        }

        FinishIfDone();
    }

    private void HandleStop(StopReason reason, IActorRef requester)
    {
        if (!requester.IsNobody() && !requester.Equals(Context.System.DeadLetters))
        {
            _stopWaiters.Add(requester);
        }

        BeginStopping(reason);
        FinishIfDone();
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (_children.Remove(terminated.ActorRef, out var name))
        {
            var state = _interfaces[name];
            if (!state.Done)
            {
                state.StartError = "the interface capture stopped unexpectedly";
                BeginStopping(StopReason.Error);
            }

            FinishIfDone();
            return;
        }

        if (terminated.ActorRef.Equals(_plan.OwnerSession))
        {
            _log.Warning("Owner {0} of capture {1} is gone: stopping it", _plan.Owner, _plan.CaptureId);
            BeginStopping(StopReason.OwnerLost);
            FinishIfDone();
        }
    }

    private void BeginStopping(StopReason reason)
    {
        if (_stopReason is not null)
        {
            return;
        }

        _stopReason = reason;
        if (_state != CaptureState.Starting)
        {
            _state = CaptureState.Stopping;
        }

        foreach (var child in _children.Keys)
        {
            child.Tell(InterfaceCapture.Stop.Instance);
        }
    }

    private void FinishIfDone()
    {
        if (!_interfaces.Values.All(i => i.Done) || IsOver)
        {
            return;
        }

        _stoppedAt = DateTimeOffset.UtcNow;
        var everyInterfaceFailed = _interfaces.Values.All(i => i.StartError is not null || i.Result?.Reason == CaptureEndReason.Error);
        _state = _startFailure is not null || everyInterfaceFailed ? CaptureState.Failed : CaptureState.Stopped;
        _stopReason ??= _interfaces.Values.Select(i => i.Result?.Reason).FirstOrDefault(r => r is not null) is { } first
            ? ToStopReason(first)
            : StopReason.Error;

        // The room kept for this moment: a capture that filled the disk still finishes its sidecar.
        _reserve?.Dispose();
        _reserve = null;
        if (_startFailure is not null && _plan.Resume is null)
        {
            RemoveFilesOfFailedStart();
        }
        else
        {
            WriteSidecar();
        }

        var status = Status();
        var replies = _stopWaiters.Select(waiter => new Reply(waiter, new CaptureStopped(true, status))).ToList();
        if (_starter is not null)
        {
            replies.Add(new Reply(_starter, _startFailure ?? new CaptureRejected(ErrorCode.DeviceError, status.Error ?? "the capture ended before it ran")));
        }

        _log.Info("Capture {0} ended: {1}", _plan.CaptureId, _stopReason.Value.ToText());
        Context.Parent.Tell(new Ended(status, replies));
        Context.Stop(Self);
    }

    private void RemoveFilesOfFailedStart()
    {
        foreach (var file in _interfaces.Values.SelectMany(i => i.Result?.Segments ?? []).Where(s => s.Packets == 0))
        {
            File.Delete(file.Path);
        }

        File.Delete(Path.Combine(_options.CaptureDirectory, SidecarName(_plan)));
    }

    private CaptureStatus Status()
    {
        var end = _stoppedAt ?? DateTimeOffset.UtcNow;
        var error = _startFailure?.Message
            ?? FirstInterfaceError;
        return WithEarlierRuns(new CaptureStatus(
            _plan.Node,
            _state,
            _plan.CaptureId,
            _plan.Owner,
            _plan.Detached,
            _plan.Settings,
            _activeFrom,
            _stoppedAt,
            end - _activeFrom,
            IsOver ? _stopReason : null,
            error,
            [.. _interfaces.Values.Select(InterfaceStatus)]));
    }

    private InterfaceCaptureStatus InterfaceStatus(InterfaceState state)
    {
        var counters = state.Counters;
        var interfaceState = state switch
        {
            { StartError: not null } or { Result.Reason: CaptureEndReason.Error } => CaptureState.Failed,
            { Result: not null } => CaptureState.Stopped,
            { Started: true } => _state == CaptureState.Stopping ? CaptureState.Stopping : CaptureState.Running,
            _ => CaptureState.Starting,
        };
        return new InterfaceCaptureStatus(
            state.Name,
            interfaceState,
            counters.CurrentFile is { } path ? Path.GetFileName(path) : null,
            counters.FileSizeTotal,
            counters.PacketsCaptured,
            counters.PacketsWritten,
            counters.BytesWritten,
            counters.KernelReceived,
            counters.KernelDropped,
            counters.InterfaceDropped,
            counters.Segments,
            state.Result is { } result ? ToStopReason(result.Reason) : null,
            state.Error ?? LinkGaps.Waiting(state.Name, counters),
            counters.Restarts,
            LinkGaps.ToCaptureGaps(counters, _stoppedAt ?? DateTimeOffset.UtcNow),
            state.Result is null && counters.CurrentFile is not null ? counters.CurrentFileSize : null);
    }

    private void WriteSidecar()
    {
        var sidecar = new CaptureSidecar(
            CaptureSidecar.CurrentFormatVersion,
            _plan.CaptureId,
            _plan.Node,
            _plan.Owner,
            _plan.Detached,
            _plan.Settings,
            _plan.StartedAt,
            _stoppedAt,
            IsOver ? _state : CaptureState.Running,
            IsOver ? _stopReason : null,
            FirstInterfaceError,
            [.. _interfaces.Values.Select(SidecarEntry)]);
        sidecar = WithEarlierRuns(sidecar);
        try
        {
            AgentJson.WriteAtomically(Path.Combine(_options.CaptureDirectory, SidecarName(_plan)), sidecar);
        }
        catch (IOException e)
        {
            // A full disk must not take the capture down with it; the pcap files stay valid without a sidecar.
            _log.Error(e, "Could not write the sidecar of capture {0}", _plan.CaptureId);
        }
    }

    private SidecarInterface SidecarEntry(InterfaceState state)
    {
        var c = state.Counters;

        // While the interface runs: its closed segments, and what was written up to the newest of them (the file being
        // written is not in the sidecar; a crash repair adds it from the disk).
        var running = state.Result is null ? c.Closed ?? ClosedSegments.None : null;
        var files = (state.Result?.Segments ?? running!.Files)
            .Where(s => File.Exists(s.Path))
            .Select(s => new SidecarFile(Path.GetFileName(s.Path), s.SizeBytes, s.Packets, s.FirstPacketAt, s.LastPacketAt, s.Sha256));
        return WithEarlierRuns(new SidecarInterface(
            state.Name,
            state.Result is { } result ? ToStopReason(result.Reason) : null,
            state.Error,
            c.PacketsCaptured,
            running?.PacketsWritten ?? c.PacketsWritten,
            running?.BytesWritten ?? c.BytesWritten,
            c.KernelReceived,
            c.KernelDropped,
            c.InterfaceDropped,
            [.. files])
        {
            Restarts = c.Restarts,
            Gaps = LinkGaps.ToCaptureGaps(c, _stoppedAt ?? DateTimeOffset.UtcNow),
        });
    }

    private StopReason ToStopReason(CaptureEndReason reason) => reason switch
    {
        CaptureEndReason.Stopped => _stopReason ?? StopReason.ByRequest,
        CaptureEndReason.DurationReached => StopReason.DurationReached,
        CaptureEndReason.SizeReached => StopReason.SizeReached,
        CaptureEndReason.InterfaceGone => StopReason.InterfaceGone,
        CaptureEndReason.WriteError => StopReason.WriteError,
        _ => StopReason.Error,
    };

    private static ErrorCode ToErrorCode(CaptureStartError error) => error switch
    {
        CaptureStartError.UnknownInterface => ErrorCode.UnknownInterface,
        CaptureStartError.InvalidFilter => ErrorCode.InvalidFilter,
        CaptureStartError.PermissionDenied => ErrorCode.PermissionDenied,
        CaptureStartError.IoError => ErrorCode.IoError,
        _ => ErrorCode.DeviceError,
    };
}
