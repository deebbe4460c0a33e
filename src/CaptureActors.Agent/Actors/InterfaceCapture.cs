using Akka.Actor;
using Akka.Event;
using CaptureActors.Capture;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// <c>if-&lt;name&gt;</c>: owns one interface's live capture (its libpcap device and rotating writer, on the engine's
/// own thread). Packets never pass through here: the parent session sees counters on a timer and the result at the end.
/// </summary>
public sealed class InterfaceCapture : ReceiveActor, IWithTimers
{
    /// <summary>The engine opened the device; the capture runs.</summary>
    public sealed record Started(string Interface);

    /// <summary>The capture could not start; nothing runs and no file is left open.</summary>
    public sealed record StartFailed(string Interface, CaptureStartError Error, string Message);

    /// <summary>Counters, sent to the parent on every tick.</summary>
    public sealed record Progress(string Interface, InterfaceCounters Counters);

    /// <summary>The capture ended and its files are closed; this actor stops after sending it.</summary>
    public sealed record Finished(string Interface, InterfaceCaptureResult Result);

    /// <summary>Stop capturing; <see cref="Finished"/> follows.</summary>
    public sealed record Stop
    {
        public static readonly Stop Instance = new();
    }

    /// <summary>The disk guard: delete this finished segment file of a ring (never the one being written).</summary>
    public sealed record DeleteSegment(string Path);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>The engine closed a segment: the parent hears the counters at once, so the file is listed finished.</summary>
    private sealed record SegmentClosed
    {
        public static readonly SegmentClosed Instance = new();
    }

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly InterfaceCaptureRequest _request;
    private readonly ICaptureEngine _engine;
    private readonly TimeSpan _counterInterval;
    private IInterfaceCapture? _capture;

    public InterfaceCapture(InterfaceCaptureRequest request, ICaptureEngine engine, TimeSpan counterInterval)
    {
        _request = request;
        _engine = engine;
        _counterInterval = counterInterval;
        Receive<Tick>(_ => HandleTick());
        Receive<SegmentClosed>(_ => HandleTick());
        Receive<Stop>(_ => _capture?.Stop());
        Receive<DeleteSegment>(HandleDeleteSegment);
        Receive<InterfaceCaptureResult>(HandleFinished);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(InterfaceCaptureRequest request, ICaptureEngine engine, TimeSpan counterInterval) =>
        Akka.Actor.Props.Create(() => new InterfaceCapture(request, engine, counterInterval));

    protected override void PreStart()
    {
        try
        {
            var self = Self;
            var parent = Context.Parent;
            _capture = _engine.Start(_request with
            {
                SegmentClosed = _ => self.Tell(SegmentClosed.Instance),
                Written = _request.WrittenEveryBytes < long.MaxValue ? () => parent.Tell(CaptureSession.CheckDisk.Instance) : null,
            });
        }
        catch (CaptureStartException e)
        {
            _log.Warning("Capture on {0} did not start: {1}", _request.Interface, e.Message);
            Context.Parent.Tell(new StartFailed(_request.Interface, e.Error, e.Message));
            Context.Stop(Self);
            return;
        }

        Context.Parent.Tell(new Started(_request.Interface));
        Timers.StartPeriodicTimer("counters", Tick.Instance, _counterInterval);
        _capture.Completion.PipeTo(Self);
    }

    protected override void PostStop()
    {
        // Normally the capture has completed already; on a forced stop this closes the files.
        _capture?.Dispose();
    }

    private void HandleTick()
    {
        if (_capture is not null)
        {
            Context.Parent.Tell(new Progress(_request.Interface, _capture.ReadCounters()));
        }
    }

    private void HandleDeleteSegment(DeleteSegment delete)
    {
        if (_capture?.DeleteFinishedSegment(delete.Path) == true)
        {
            _log.Info("Disk guard deleted {0} of the ring on {1}", System.IO.Path.GetFileName(delete.Path), _request.Interface);
        }
        else
        {
            _log.Warning("Disk guard could not delete {0} on {1}: not a finished file of this capture (or deleted already)", System.IO.Path.GetFileName(delete.Path), _request.Interface);
        }
    }

    private void HandleFinished(InterfaceCaptureResult result)
    {
        _log.Info("Capture on {0} ended: {1} ({2} packets written)", _request.Interface, result.Reason, result.Counters.PacketsWritten);
        if (result.Allocation is { } a)
        {
            // The evidence that the hot path does not allocate per packet (docs/benchmarks.md reads it from this line).
            _log.Info("Capture on {0} allocation: capture thread allocated {1} bytes for {2} packets; process GCs during the capture gen0 {3} gen1 {4} gen2 {5}",
                _request.Interface, a.ThreadAllocatedBytes, result.Counters.PacketsCaptured, a.Gen0Collections, a.Gen1Collections, a.Gen2Collections);
        }

        Context.Parent.Tell(new Finished(_request.Interface, result));
        Context.Stop(Self);
    }
}
