using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Event;
using CaptureActors.Agent.Disk;
using CaptureActors.Agent.Hosting;
using CaptureActors.Agent.Storage;
using CaptureActors.Capture;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// <c>capture</c>: the ONE active capture of this node. Of any number of concurrent starts exactly one wins (the
/// mailbox orders them; the data directory's lock extends the rule to other processes); the others get
/// <see cref="CaptureRejected"/> with <see cref="ErrorCode.AlreadyRunning"/>. Validates settings, interfaces, filter and
/// privilege before anything starts, answers status from the counters its session reports, and keeps the node's setup.
/// </summary>
public sealed partial class CaptureSupervisor : ReceiveActor, IWithTimers
{
    /// <summary>Stop the running capture because the agent shuts down; answered by <see cref="CaptureStopped"/>.</summary>
    public sealed record Shutdown
    {
        public static readonly Shutdown Instance = new();
    }

    private sealed record CheckOtherProcessStopped(IActorRef ReplyTo, ActiveCaptureRecord Record, DateTimeOffset GiveUpAt);

    private static readonly TimeSpan OtherProcessStopTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Interfaces an unknown-interface refusal lists (a container host has thousands): the rest are counted.</summary>
    private const int MaxListedInterfaces = 200;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly AgentOptions _options;
    private readonly ICaptureEngine _engine;
    private readonly SetupStore _setup;
    private readonly DiskGuard _disk;
    private IActorRef? _session;
    private CaptureStatus? _current;
    private NodeLock? _lock;
    private IReadOnlyList<string> _filePrefixes = [];
    private string _sidecarName = "";
    private CaptureStatus? _last;

    public CaptureSupervisor(AgentOptions options, ICaptureEngine engine)
    {
        _options = options;
        _engine = engine;
        _setup = new SetupStore(options.DataDirectory);
        _disk = new DiskGuard(options.CaptureDirectory, options.Disk ?? DiskGuardSettings.Default, options.DiskSpace);

        Receive<StartCapture>(HandleStart);
        Receive<StopCapture>(HandleStop);
        Receive<Shutdown>(HandleShutdown);
        Receive<GetCaptureStatus>(_ => Sender.Tell(CurrentStatus() with { Disk = MeasureDisk()?.Headroom }));
        Receive<GetSetup>(_ => Sender.Tell(new SetupReport(_options.NodeName, _setup.Load())));
        Receive<UpdateSetup>(HandleUpdateSetup);
        Receive<CheckFilter>(HandleCheckFilter);
        Receive<CaptureSession.Progress>(HandleProgress);
        Receive<CaptureSession.Ended>(HandleSessionEnded);
        Receive<CheckOtherProcessStopped>(HandleCheckOtherProcessStopped);
        Receive<Terminated>(HandleSessionTerminated);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(AgentOptions options, ICaptureEngine engine) =>
        Akka.Actor.Props.Create(() => new CaptureSupervisor(options, engine));

    [GeneratedRegex("^[A-Za-z0-9-]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex CaptureIdPattern();

    /// <summary>A session that throws is not restarted: it would reopen files it already wrote.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PostStop() => ReleaseNode();

    private void HandleStart(StartCapture start)
    {
        if (_session is not null && _current is { } running)
        {
            Sender.Tell(AlreadyRunning(running.CaptureId!, running.Owner, running.StartedAt!.Value, Environment.ProcessId));
            return;
        }

        var settings = _setup.Load().With(start.Options);
        if (Refusal(settings, start.CaptureId, start.StartAt, requirePrivilege: true) is { } refusal)
        {
            Sender.Tell(refusal);
            return;
        }

        if (DiskRefusal(settings) is { } full)
        {
            Sender.Tell(full);
            return;
        }

        var nodeLock = NodeLock.TryAcquire(_options.DataDirectory);
        if (nodeLock is null)
        {
            Sender.Tell(ActiveCaptureRecord.Read(_options.DataDirectory) is { Status: { CaptureId: not null, StartedAt: not null } other } record
                ? AlreadyRunning(other.CaptureId, other.Owner, other.StartedAt.Value, record.ProcessId)
                : new CaptureRejected(ErrorCode.AlreadyRunning, $"another process holds the capture lock of {_options.DataDirectory}: a capture is starting or running there"));
            return;
        }

        _lock = nodeLock;
        RepairOrphans();
        var now = DateTimeOffset.UtcNow;
        var plan = new CaptureSession.Plan(
            start.CaptureId ?? Guid.NewGuid().ToString("N")[..12],
            _options.NodeName,
            settings,
            start.Owner,
            start.Detached,
            start.OwnerSession,
            start.StartAt is { } at && at > now ? at : now);
        RecordIntent(plan, plan.StartedAt, TimeSpan.Zero);
        StartSession(plan, Sender);
    }

    /// <summary>Runs <paramref name="plan"/> in a new session; the node lock is held already.</summary>
    private void StartSession(CaptureSession.Plan plan, IActorRef starter)
    {
        var settings = plan.Settings;
        _session = Context.ActorOf(CaptureSession.Props(plan, _options, _engine, starter), "session-" + plan.CaptureId);
        Context.Watch(_session);
        // File names follow the plan's start time; status may later report a later real start.
        _filePrefixes = [.. settings.Interfaces.Select(i => CaptureFileNames.FilePrefix(plan.Node, i, plan.StartedAt))];
        _sidecarName = CaptureSession.SidecarName(plan);
        _current = new CaptureStatus(plan.Node, CaptureState.Starting, plan.CaptureId, plan.Owner, plan.Detached, settings, plan.StartedAt, null, TimeSpan.Zero, null, null, [], Restarts: plan.Resume?.Restarts ?? 0);
        WriteActiveRecord();
        _log.Info("Capture {0} starting for {1} on {2}", plan.CaptureId, plan.Owner, string.Join(", ", settings.Interfaces));
    }

    /// <summary>The first reason these settings cannot be used, or null. Touches nothing.</summary>
    private CaptureRejected? Refusal(CaptureSettings settings, string? captureId, DateTimeOffset? startAt, bool requirePrivilege)
    {
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            return new CaptureRejected(ErrorCode.InvalidSettings, string.Join("; ", problems));
        }

        if (startAt is { } at && (at - DateTimeOffset.UtcNow) > StartCapture.MaxScheduleAhead)
        {
            return new CaptureRejected(ErrorCode.InvalidSettings, $"start time {at:O} is more than {StartCapture.MaxScheduleAhead.TotalSeconds:0} s ahead of this node's clock ({DateTimeOffset.UtcNow:O}): check the clocks");
        }

        if (captureId is not null && !CaptureIdPattern().IsMatch(captureId))
        {
            return new CaptureRejected(ErrorCode.InvalidSettings, $"capture id {TextBounds.Quote(captureId)} is not valid: 1 to 40 letters, digits or '-'");
        }

        if (settings.Interfaces is not ["any"])
        {
            var known = _engine.ListInterfaces().Select(i => i.Name).ToList();
            var unknown = settings.Interfaces.Where(i => !known.Contains(i, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                return new CaptureRejected(
                    ErrorCode.UnknownInterface,
                    $"unknown interface {TextBounds.Listed(unknown.Select(u => TextBounds.Quote(u)))} on node {_options.NodeName}: valid interfaces are {TextBounds.Listed(known.Append("any").Distinct(), MaxListedInterfaces)}");
            }
        }

        if (FilterRefusal(settings.Filter) is { } invalidFilter)
        {
            return new CaptureRejected(ErrorCode.InvalidFilter, invalidFilter);
        }

        if (requirePrivilege && _engine.MissingCapturePrivilege() is { } missing)
        {
            return new CaptureRejected(ErrorCode.PermissionDenied, missing);
        }

        return null;
    }

    /// <summary>Why libpcap refuses <paramref name="filter"/>, in the words a start is refused with; null when it compiles.</summary>
    private string? FilterRefusal(string filter)
    {
        var check = _engine.CheckFilter(filter);
        return check.IsValid ? null : $"invalid filter '{filter}': {check.Error}";
    }

    /// <summary>
    /// The settings form's check while the filter is typed: the length limit, the control characters and libpcap's
    /// compiler, as a start checks them, on a dead pcap handle (no device, no privilege, no capture thread); libpcap
    /// never sees a filter that <see cref="CaptureSettings.FilterProblem"/> refuses, and the answer echoes such a filter
    /// only shortened (the reply must fit a frame). Reads and changes nothing else.
    /// </summary>
    private void HandleCheckFilter(CheckFilter check)
    {
        if (CaptureSettings.FilterProblem(check.Filter) is { } problem)
        {
            Sender.Tell(new FilterChecked(_options.NodeName, TextBounds.Bounded(check.Filter), false, problem));
            return;
        }

        var refusal = FilterRefusal(check.Filter);
        Sender.Tell(new FilterChecked(_options.NodeName, check.Filter, refusal is null, refusal));
    }

    /// <summary>
    /// A start below the free-disk floor or at the quota is refused, naming free space and the floor; so is one whose
    /// files (a ring's N files of the size limit) cannot fit above the floor, naming both.
    /// </summary>
    private CaptureRejected? DiskRefusal(CaptureSettings settings)
    {
        try
        {
            Directory.CreateDirectory(_options.CaptureDirectory);
            var check = _disk.Check();
            return DiskGuard.StartRefusal(check, settings) is { } refusal ? new CaptureRejected(ErrorCode.DiskFull, refusal) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CaptureRejected(ErrorCode.IoError, $"cannot use the capture directory {_options.CaptureDirectory}: {e.Message}");
        }
    }

    /// <summary>The disk guard's view for status; null when the capture directory does not exist (yet) or cannot be measured.</summary>
    private DiskCheck? MeasureDisk()
    {
        try
        {
            return Directory.Exists(_options.CaptureDirectory) ? _disk.Check() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Could not measure {0}: {1}", _options.CaptureDirectory, e.Message);
            return null;
        }
    }

    private static CaptureRejected AlreadyRunning(string captureId, CaptureOwner? owner, DateTimeOffset startedAt, int processId)
    {
        var ownerText = owner?.ToString() ?? "unknown owner";
        return new CaptureRejected(
            ErrorCode.AlreadyRunning,
            $"a capture is already running on this node: {captureId}, started {startedAt:yyyy-MM-dd HH:mm:ss}Z by {ownerText}; stop it first (packetcapture stop)",
            new ActiveCaptureInfo(captureId, ownerText, startedAt, processId));
    }

    private void HandleStop(StopCapture stop)
    {
        if (_session is not null && _current is { } running)
        {
            if (stop.CaptureId is null || stop.CaptureId == running.CaptureId)
            {
                _session.Forward(stop);
            }
            else
            {
                Sender.Tell(new CaptureStopped(false, running));
            }

            return;
        }

        if (ActiveCaptureRecord.ReadLive(_options.DataDirectory) is { } record
            && (stop.CaptureId is null || stop.CaptureId == record.Status.CaptureId))
        {
            _log.Info("Capture {0} runs in process {1}: asking it to stop", record.Status.CaptureId, record.ProcessId);
            if (!ProcessSignals.Terminate(record.ProcessId))
            {
                Sender.Tell(new CommandFailed(ErrorCode.Internal, $"capture {record.Status.CaptureId} runs in process {record.ProcessId}, which cannot be signalled (another user's process?)"));
                return;
            }

            Self.Tell(new CheckOtherProcessStopped(Sender, record, DateTimeOffset.UtcNow + OtherProcessStopTimeout));
            return;
        }

        Sender.Tell(new CaptureStopped(false, LastStatus()));
    }

    private void HandleCheckOtherProcessStopped(CheckOtherProcessStopped check)
    {
        if (!NodeLock.IsHeldElsewhere(_options.DataDirectory))
        {
            var sidecar = AgentJson.TryRead<CaptureSidecar>(Path.Combine(_options.CaptureDirectory, check.Record.SidecarName));
            var final = sidecar?.ToStatus() ?? check.Record.Status with { State = CaptureState.Stopped };
            check.ReplyTo.Tell(new CaptureStopped(true, final with { OtherProcess = true }));
            return;
        }

        if (DateTimeOffset.UtcNow > check.GiveUpAt)
        {
            check.ReplyTo.Tell(new CommandFailed(ErrorCode.Timeout, $"capture {check.Record.Status.CaptureId} in process {check.Record.ProcessId} did not stop within {OtherProcessStopTimeout.TotalSeconds:0} s"));
            return;
        }

        Timers.StartSingleTimer(check, check, TimeSpan.FromMilliseconds(100));
    }

    private void HandleShutdown(Shutdown _)
    {
        if (_session is null)
        {
            Sender.Tell(new CaptureStopped(false, LastStatus()));
            return;
        }

        _session.Forward(new CaptureSession.StopFor(StopReason.AgentShutdown));
    }

    private void HandleUpdateSetup(UpdateSetup update)
    {
        var settings = _setup.Load().With(update.Options);
        if (Refusal(settings, null, null, requirePrivilege: false) is { } refusal)
        {
            Sender.Tell(new CommandFailed(refusal.Code, refusal.Message));
            return;
        }

        try
        {
            _setup.Save(settings);
            Sender.Tell(new SetupReport(_options.NodeName, settings));
        }
        catch (IOException e)
        {
            Sender.Tell(new CommandFailed(ErrorCode.IoError, $"could not store the setup in {_options.DataDirectory}: {e.Message}"));
        }
    }

    private void HandleProgress(CaptureSession.Progress progress)
    {
        if (Sender.Equals(_session))
        {
            _current = progress.Status;
            WriteActiveRecord();
        }
    }

    /// <summary>The capture is over and its files are closed: the node is free for the next start at once.</summary>
    private void HandleSessionEnded(CaptureSession.Ended ended)
    {
        if (!Sender.Equals(_session))
        {
            return;
        }

        Context.Unwatch(_session);
        ForgetIntentUnlessShutdown(ended.Status);
        _last = ended.Status;
        _session = null;
        _current = null;
        ReleaseNode();
        foreach (var reply in ended.Replies)
        {
            reply.To.Tell(reply.Message);
        }
    }

    /// <summary>A session that stopped without <see cref="CaptureSession.Ended"/> failed; the node is freed all the same.</summary>
    private void HandleSessionTerminated(Terminated terminated)
    {
        if (!terminated.ActorRef.Equals(_session))
        {
            return;
        }

        _log.Error("Capture session {0} failed", _current?.CaptureId);
        ForgetIntentUnlessShutdown(null);
        _last = _current! with { State = CaptureState.Failed, StopReason = StopReason.Error, Error = "the capture session failed", StoppedAt = DateTimeOffset.UtcNow };
        _session = null;
        _current = null;
        ReleaseNode();
    }

    private CaptureStatus CurrentStatus()
    {
        if (_current is { } running)
        {
            return running;
        }

        return ActiveCaptureRecord.ReadLive(_options.DataDirectory)?.Status is { } elsewhere
            ? elsewhere with { OtherProcess = true, Elapsed = DateTimeOffset.UtcNow - elsewhere.StartedAt.GetValueOrDefault(DateTimeOffset.UtcNow) }
            : LastStatus();
    }

    /// <summary>
    /// How the node's last capture ended: this process's own, or a newer one that another process sharing the data
    /// directory ran (its sidecar), so a new console sees what happened before it.
    /// </summary>
    private CaptureStatus LastStatus()
    {
        var recorded = CaptureSidecarStatus.Newest(_options.CaptureDirectory) is { IsFinished: true } sidecar ? sidecar.ToStatus() : null;
        var last = _last is null || (recorded is not null && recorded.StartedAt > _last.StartedAt) ? recorded : _last;
        return last ?? CaptureStatus.Idle(_options.NodeName);
    }

    private void WriteActiveRecord()
    {
        if (_current is not { } status)
        {
            return;
        }

        try
        {
            new ActiveCaptureRecord(Environment.ProcessId, _sidecarName, status, _filePrefixes).Write(_options.DataDirectory);
        }
        catch (IOException e)
        {
            _log.Warning("Could not write {0}: {1}", ActiveCaptureRecord.FileName, e.Message);
        }
    }

    private void ReleaseNode()
    {
        if (_lock is null)
        {
            return;
        }

        try
        {
            ActiveCaptureRecord.Delete(_options.DataDirectory);
        }
        catch (IOException e)
        {
            _log.Warning("Could not remove {0}: {1}", ActiveCaptureRecord.FileName, e.Message);
        }

        _lock.Dispose();
        _lock = null;
    }
}
