using System.Diagnostics;
using CaptureActors.Pcap;
using SharpPcap.LibPcap;

namespace CaptureActors.Capture;

/// <summary>
/// One interface's capture: a dedicated thread calls pcap_next_ex on the device's handle and writes each packet
/// from libpcap's buffer straight into a <see cref="PcapFileWriter"/> (no allocation per packet), rotating and
/// stopping at the request's limits. Counters are published with volatile writes for <see cref="ReadCounters"/>.
/// </summary>
/// <remarks>
/// The handle is non-blocking and the loop polls its selectable fd itself, together with an eventfd that
/// <see cref="Stop"/> signals: with TPACKET_V3 a blocking pcap_next_ex waits forever while no packet arrives
/// (the read timeout only runs once a block holds a packet), so it would neither flush nor see the deadline.
/// <para>
/// Link flaps, as measured with libpcap 1.10.3 on a veth (Linux 6.18, TPACKET_V3, non-blocking):
/// <c>ip link set X down</c> raises POLLERR once on the selectable fd (the packet socket's ENETDOWN); pcap_next_ex
/// reads it, keeps the handle and returns 0 (it does not report PCAP_ERROR_IFACE_NOT_UP, nor ENETDOWN to us), and
/// after <c>ip link set X up</c> the kernel re-hooks the socket and packets flow on the same handle.
/// <c>ip link del X</c> raises POLLERR and pcap_next_ex returns PCAP_ERROR (-1) with "The interface disappeared"
/// (libpcap's own SIOCGIFINDEX check, ENODEV; never ENXIO here). So the handle needs no reopening: the loop watches the
/// link state itself (on POLLERR and on every tick while up; with <see cref="LinkBackoff"/> while down, never spinning),
/// closes the current segment when the link goes down, and opens the next one when it is up again (or a packet arrives),
/// recording the gap and counting the restart.
/// </para>
/// </remarks>
internal sealed unsafe class LibPcapInterfaceCapture : IInterfaceCapture
{
    private static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Gaps kept per interface (about 100 bytes each on the wire), newest last.</summary>
    internal const int MaxGaps = 100;

    private readonly LibPcapLiveDevice _device;
    private readonly InterfaceCaptureRequest _request;
    private readonly IntPtr _handle;
    private readonly int _linkType;
    private readonly Lock _handleLock = new();
    private readonly TaskCompletionSource<InterfaceCaptureResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<CaptureSegment> _closedSegments = [];
    private readonly Lock _segmentsLock = new();
    private readonly Thread _thread;
    private readonly int _selectableFd;
    private readonly int _stopEvent;
    private bool _handleOpen = true;
    private int _stopRequested;

    private PcapFileWriter _writer;
    private int _sequence = 1;
    private bool _writerClosed;

    // Packets and bytes counted before the current segment: after a failed write the counters are set back to what
    // the files really hold (the writer keeps whole records only).
    private long _writtenBeforeSegment;
    private long _bytesBeforeSegment;

    // Counters: written by the capture thread only, read by any thread.
    private long _captured;
    private long _written;
    private long _bytesWritten;
    private long _kernelReceived;
    private long _kernelDropped;
    private long _interfaceDropped;
    private long _currentFileSize;
    private long _closedSegmentsSize;
    private long _bytesAtLastWrittenCall; // capture thread only
    private ClosedSegments _closed = ClosedSegments.None;
    private int _segments = 1;
    private string? _currentFile;
    private int _restarts;
    private LinkGap[] _gaps = [];
    private long _linkDownSinceTicks; // UTC ticks since the link is down; 0 while it is up

    /// <summary>
    /// How many times the kernel counts each packet in pcap_stats. On a loopback device the packet socket gets every
    /// packet twice, as sent and as received; libpcap keeps one copy and drops the other in user space, but the kernel
    /// counted both in ps_recv and ps_drop (tcpdump on lo says "6 packets received by filter" for 3 datagrams), so a
    /// stalled capture reported twice what it lost: 2,188 drops for 1,094 datagrams. A kernel filter with
    /// inbound/outbound cannot remove the twin either: libpcap then keeps neither copy.
    /// </summary>
    private readonly int _kernelCopies;

    private LibPcapInterfaceCapture(LibPcapLiveDevice device, InterfaceCaptureRequest request, PcapFileWriter writer, int linkType, int selectableFd, int stopEvent)
    {
        _selectableFd = selectableFd;
        _stopEvent = stopEvent;
        _device = device;
        _request = request;
        _writer = writer;
        _linkType = linkType;
        _kernelCopies = device.Loopback ? 2 : 1;
        _currentFile = writer.Path;
        _currentFileSize = writer.Length;
        _bytesWritten = writer.Length;
        bool added = false;
        device.Handle.DangerousAddRef(ref added);
        _handle = device.Handle.DangerousGetHandle();
        _thread = new Thread(Run) { IsBackground = true, Name = $"capture {request.Interface}" };
    }

    public string Interface => _request.Interface;

    public Task<InterfaceCaptureResult> Completion => _completion.Task;

    /// <summary>Creates the first segment and starts the capture thread on an opened device.</summary>
    public static LibPcapInterfaceCapture Start(LibPcapLiveDevice device, InterfaceCaptureRequest request)
    {
        IntPtr handle = device.Handle.DangerousGetHandle();
        if (LibPcapNative.MakeNonBlocking(handle) is { } nonBlockError)
        {
            throw new CaptureStartException(CaptureStartError.DeviceError, $"{request.Interface}: cannot make the capture non-blocking: {nonBlockError}");
        }

        int selectableFd = LibPcapNative.SelectableFd(handle);
        if (selectableFd < 0)
        {
            throw new CaptureStartException(CaptureStartError.DeviceError, $"{request.Interface}: libpcap offers no selectable descriptor");
        }

        int linkType = LibPcapNative.DataLink(handle);
        int stopEvent = LibPcapNative.EventFd(0, LibPcapNative.EventFdFlags);
        if (stopEvent < 0)
        {
            throw new CaptureStartException(CaptureStartError.DeviceError, $"eventfd failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        PcapFileWriter writer;
        try
        {
            writer = CreateWriter(request, 1, linkType);
        }
        catch
        {
            LibPcapNative.CloseFd(stopEvent);
            throw;
        }

        var capture = new LibPcapInterfaceCapture(device, request, writer, linkType, selectableFd, stopEvent);
        capture._thread.Start();
        return capture;
    }

    public InterfaceCounters ReadCounters()
    {
        long written = Volatile.Read(ref _written);
        return new InterfaceCounters(
            Math.Max(Volatile.Read(ref _captured), written),
            written,
            Volatile.Read(ref _bytesWritten),
            Volatile.Read(ref _kernelReceived),
            Volatile.Read(ref _kernelDropped),
            Volatile.Read(ref _interfaceDropped),
            Volatile.Read(ref _currentFile),
            Volatile.Read(ref _currentFileSize),
            Volatile.Read(ref _closedSegmentsSize) + Volatile.Read(ref _currentFileSize),
            Volatile.Read(ref _segments),
            Volatile.Read(ref _restarts),
            Volatile.Read(ref _gaps) is { Length: > 0 } gaps ? gaps : null,
            Volatile.Read(ref _linkDownSinceTicks) is var since and not 0 ? new DateTimeOffset(since, TimeSpan.Zero) : null,
            Volatile.Read(ref _closed));
    }

    /// <summary>Publishes the closed segments after a change; called under <see cref="_segmentsLock"/>.</summary>
    private void PublishClosed(long packetsWritten, long bytesWritten) =>
        Volatile.Write(ref _closed, new ClosedSegments([.. _closedSegments], packetsWritten, bytesWritten));

    /// <summary>Publishes the closed segments after a deletion (the totals written stay); called under <see cref="_segmentsLock"/>.</summary>
    private void PublishClosed() => PublishClosed(_closed.PacketsWritten, _closed.BytesWritten);

    public void Stop()
    {
        Volatile.Write(ref _stopRequested, 1);
        lock (_handleLock)
        {
            if (_handleOpen)
            {
                LibPcapNative.BreakLoop(_handle);
                ulong one = 1;
                LibPcapNative.Write(_stopEvent, &one, sizeof(ulong));
            }
        }
    }

    public void Dispose()
    {
        Stop();
        if (Thread.CurrentThread != _thread && _thread.IsAlive)
        {
            _thread.Join();
        }
    }

    private static PcapFileWriter CreateWriter(InterfaceCaptureRequest request, int sequence, int linkType)
    {
        string path = request.SegmentPath(sequence);
        try
        {
            // Always a new name: one that exists (a link planted ahead of a rotation, say) is refused, never written through.
            return PcapFileWriter.Create(path, linkType, request.SnapLength, createNew: true);
        }
        catch (PcapWriteException e)
        {
            throw new CaptureStartException(CaptureStartError.IoError, $"cannot create capture file {path}: {e.Message}", e);
        }
    }

    private void Run()
    {
        CaptureEndReason reason = CaptureEndReason.Error;
        string? error = null;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        try
        {
            (reason, error) = Loop();
        }
        catch (PcapWriteException e)
        {
            (reason, error) = (CaptureEndReason.WriteError, e.Message);
        }
        catch (CaptureStartException e)
        {
            (reason, error) = (CaptureEndReason.WriteError, e.Message);
        }
        catch (Exception e)
        {
            (reason, error) = (CaptureEndReason.Error, $"{e.GetType().Name}: {e.Message}");
        }

        var allocation = new CaptureLoopAllocation(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
        try
        {
            ReadStats();
            if (reason == CaptureEndReason.InterfaceGone)
            {
                // Deleting an interface takes it down first: that is its end (interface-gone), not a gap in the capture.
                Volatile.Write(ref _linkDownSinceTicks, 0);
            }
            else
            {
                EndOpenGap(); // stopped while the link was down: the stretch up to the stop is a gap
            }
            try
            {
                CloseCurrentSegment();
            }
            catch (PcapWriteException e) when (reason is not (CaptureEndReason.WriteError or CaptureEndReason.Error))
            {
                (reason, error) = (CaptureEndReason.WriteError, e.Message);
            }
            catch (PcapWriteException)
            {
                // Already failing; the file is truncated to its last whole record.
            }
        }
        finally
        {
            CloseDevice();
            CaptureSegment[] segments;
            lock (_segmentsLock)
            {
                segments = [.. _closedSegments];
            }

            _completion.TrySetResult(new InterfaceCaptureResult(reason, error, segments, ReadCounters()) { Allocation = allocation });
        }
    }

    private (CaptureEndReason Reason, string? Error) Loop()
    {
        long start = Stopwatch.GetTimestamp();
        long deadline = long.MaxValue;
        if (_request.Deadline is { } at)
        {
            TimeSpan left = at - DateTimeOffset.UtcNow;
            deadline = left <= TimeSpan.Zero ? start : start + (long)(left.TotalSeconds * Stopwatch.Frequency);
        }

        TimeSpan flushInterval = _request.FlushInterval is { } f && f > TimeSpan.Zero ? f : DefaultFlushInterval;
        long flushTicks = (long)(flushInterval.TotalSeconds * Stopwatch.Frequency);
        long tickTicks = Math.Clamp(flushTicks / 2, Stopwatch.Frequency / 100, Stopwatch.Frequency / 4);
        long nextTick = start + tickTicks;
        long nextFlush = start + flushTicks;
        long maxFileSize = _request.MaxFileSizeBytes ?? long.MaxValue;
        int snap = _request.SnapLength;
        int pollMilliseconds = (int)Math.Max(1, tickTicks * 1000 / Stopwatch.Frequency);
        // A scheduled start: the device is open already, packets stamped before the common instant are not written.
        long startAtMicroseconds = _request.StartAt is { } startAt ? startAt.ToUnixTimeMilliseconds() * 1000 + startAt.Microsecond : long.MinValue;
        LibPcapNative.PollFd* fds = stackalloc LibPcapNative.PollFd[2];
        bool watchLink = _request.Interface != "any";
        bool linkDown = false;
        var backoff = new LinkBackoff();
        long nextLinkCheck = watchLink ? start + tickTicks : long.MaxValue;

        while (true)
        {
            if (Volatile.Read(ref _stopRequested) != 0)
            {
                return (CaptureEndReason.Stopped, null);
            }

            int rc = LibPcapNative.NextEx(_handle, out LibPcapNative.PacketHeader* header, out byte* data);
            if (rc == LibPcapNative.Ok)
            {
                if (header->Seconds * 1_000_000 + header->Microseconds < startAtMicroseconds)
                {
                    continue;
                }

                if (linkDown)
                {
                    // A packet proves the link is back before the next look at its state.
                    LinkUp();
                    linkDown = false;
                    backoff.Reset();
                    nextLinkCheck = Stopwatch.GetTimestamp() + tickTicks;
                }

                int capturedLength = (int)Math.Min(header->CapturedLength, (uint)snap);
                Volatile.Write(ref _captured, _captured + 1);
                int recordLength = PcapFormat.RecordHeaderLength + capturedLength;
                if (_writer.Length + recordLength > maxFileSize && _writer.Packets > 0)
                {
                    if (_request.RingFiles is null)
                    {
                        return (CaptureEndReason.SizeReached, null);
                    }

                    Rotate();
                }

                _writer.Write(header->Seconds, (int)header->Microseconds, new ReadOnlySpan<byte>(data, capturedLength), (int)header->Length);
                Volatile.Write(ref _written, _written + 1);
                Volatile.Write(ref _bytesWritten, _bytesWritten + recordLength);
                Volatile.Write(ref _currentFileSize, _writer.Length);
                if (_request.Written is { } written && _bytesWritten - _bytesAtLastWrittenCall >= _request.WrittenEveryBytes)
                {
                    _bytesAtLastWrittenCall = _bytesWritten;
                    written();
                }
            }
            else if (rc == LibPcapNative.Break)
            {
                return (CaptureEndReason.Stopped, null);
            }
            else if (rc == LibPcapNative.Timeout)
            {
                // Nothing ready: sleep until the socket has data or an error, Stop signals, or the next tick
                // (while the link is down: the next look at the link state, which backs off up to 5 s).
                fds[0] = new LibPcapNative.PollFd { Fd = _selectableFd, Events = LibPcapNative.PollIn };
                fds[1] = new LibPcapNative.PollFd { Fd = _stopEvent, Events = LibPcapNative.PollIn };
                long wait = Math.Min(linkDown ? nextLinkCheck : nextTick, deadline) - Stopwatch.GetTimestamp();
                int timeout = wait <= 0 ? 0 : (int)Math.Min(linkDown ? int.MaxValue : pollMilliseconds, (wait * 1000 / Stopwatch.Frequency) + 1);
                LibPcapNative.Poll(fds, 2, timeout);
                if (watchLink && (fds[0].ReturnedEvents & LibPcapNative.PollErr) != 0)
                {
                    nextLinkCheck = 0; // ENETDOWN or the interface vanished: look at the link now
                }
            }
            else
            {
                string message = LibPcapNative.ErrorText(_handle);
                return (IsInterfaceGone(message) ? CaptureEndReason.InterfaceGone : CaptureEndReason.Error,
                    $"{_request.Interface}: {message}");
            }

            long now = Stopwatch.GetTimestamp();
            if (now >= deadline)
            {
                return (CaptureEndReason.DurationReached, null);
            }

            if (now >= nextTick)
            {
                nextTick = now + tickTicks;
                ReadStats();
                if (now >= nextFlush)
                {
                    nextFlush = now + flushTicks;
                    if (!linkDown)
                    {
                        _writer.Flush();
                    }
                }
            }

            if (now >= nextLinkCheck)
            {
                switch (InterfaceLinkState.Read(_request.Interface))
                {
                    case LinkState.Gone:
                        return (CaptureEndReason.InterfaceGone, $"{_request.Interface}: the interface disappeared");
                    case LinkState.Down:
                        if (!linkDown)
                        {
                            LinkDown();
                            linkDown = true;
                        }

                        nextLinkCheck = now + (long)(backoff.Next().TotalSeconds * Stopwatch.Frequency);
                        break;
                    default:
                        if (linkDown)
                        {
                            LinkUp();
                            linkDown = false;
                            backoff.Reset();
                        }

                        nextLinkCheck = now + tickTicks;
                        break;
                }
            }
        }
    }

    /// <summary>The link went down: the current segment is finished (valid, hashed) and no file is open until it is back.</summary>
    private void LinkDown()
    {
        long since = DateTimeOffset.UtcNow.UtcTicks;
        CloseCurrentSegment();
        Volatile.Write(ref _currentFile, null);
        Volatile.Write(ref _linkDownSinceTicks, since); // last: a reader that sees it sees no open file too
    }

    /// <summary>The link is back: the gap is recorded, the restart counted, and capturing goes on in the next segment.</summary>
    private void LinkUp()
    {
        OpenNextSegment();
        EndOpenGap();
        Volatile.Write(ref _restarts, _restarts + 1);
    }

    private void EndOpenGap()
    {
        long since = Volatile.Read(ref _linkDownSinceTicks);
        if (since != 0)
        {
            // The newest MaxGaps only: a link flapping for days must not grow the status past a remote frame;
            // the restart count still counts every one.
            var gap = new LinkGap(new DateTimeOffset(since, TimeSpan.Zero), DateTimeOffset.UtcNow);
            Volatile.Write(ref _gaps, [.. _gaps.AsSpan(Math.Max(0, _gaps.Length - (MaxGaps - 1))), gap]);
            Volatile.Write(ref _linkDownSinceTicks, 0);
        }
    }

    private bool IsInterfaceGone(string message) =>
        _request.Interface != "any"
        && (!InterfaceInventory.Exists(_request.Interface)
            || message.Contains("disappeared", StringComparison.OrdinalIgnoreCase)
            || message.Contains("went down", StringComparison.OrdinalIgnoreCase)
            || message.Contains("No such device", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Network is down", StringComparison.OrdinalIgnoreCase));

    private void Rotate()
    {
        CloseCurrentSegment();
        OpenNextSegment();
    }

    /// <summary>Creates the next segment's file and deletes the oldest finished ones beyond the ring.</summary>
    private void OpenNextSegment()
    {
        int next = _sequence + 1;
        _writer = CreateWriter(_request, next, _linkType);
        _writerClosed = false;
        _sequence = next;
        Volatile.Write(ref _segments, _segments + 1);
        Volatile.Write(ref _currentFile, _writer.Path);
        Volatile.Write(ref _currentFileSize, _writer.Length);
        _bytesBeforeSegment = _bytesWritten;
        _writtenBeforeSegment = _written;
        Volatile.Write(ref _bytesWritten, _bytesWritten + _writer.Length);

        int keep = _request.RingFiles ?? int.MaxValue;
        lock (_segmentsLock)
        {
            // Kept files (packetcapture keep) stay and leave the ring: it holds `keep` files besides them.
            var ring = _request.IsKept is { } isKept ? _closedSegments.Where(s => !isKept(s.Path)).ToList() : _closedSegments.ToList();
            for (int i = 0; ring.Count - i + 1 > keep; i++)
            {
                CaptureSegment oldest = ring[i];
                try
                {
                    File.Delete(oldest.Path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    break; // Still on disk, so still reported; the next rotation tries again.
                }

                _closedSegments.Remove(oldest);
                Interlocked.Add(ref _closedSegmentsSize, -oldest.SizeBytes);
                PublishClosed();
            }
        }
    }

    public bool DeleteFinishedSegment(string path)
    {
        lock (_segmentsLock)
        {
            int index = _closedSegments.FindIndex(s => s.Path == path);
            if (index < 0)
            {
                return false;
            }

            CaptureSegment segment = _closedSegments[index];
            try
            {
                File.Delete(segment.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            _closedSegments.RemoveAt(index);
            Interlocked.Add(ref _closedSegmentsSize, -segment.SizeBytes);
            PublishClosed();
            return true;
        }
    }

    /// <summary>Flushes and closes the current file and records it as a segment (also when the flush fails: the file is valid up to its last whole record).</summary>
    private void CloseCurrentSegment()
    {
        PcapFileWriter writer = _writer;
        if (_writerClosed)
        {
            return;
        }

        _writerClosed = true;
        try
        {
            if (!writer.IsFaulted)
            {
                writer.Flush();
            }
        }
        finally
        {
            writer.Dispose();
            var segment = new CaptureSegment(writer.Path, _sequence, writer.FlushedLength, writer.FlushedPackets,
                writer.FirstPacketAt, writer.LastPacketAt, writer.Sha256Hex);
            // What the file holds, also after a failed write (buffered records that never reached it are not counted).
            Volatile.Write(ref _written, _writtenBeforeSegment + writer.FlushedPackets);
            Volatile.Write(ref _bytesWritten, _bytesBeforeSegment + writer.FlushedLength);
            lock (_segmentsLock)
            {
                _closedSegments.Add(segment);
                Interlocked.Add(ref _closedSegmentsSize, segment.SizeBytes);
                PublishClosed(_written, _bytesWritten);
            }

            Volatile.Write(ref _currentFileSize, 0);
            if (Volatile.Read(ref _stopRequested) == 0)
            {
                _request.SegmentClosed?.Invoke(segment);
            }
        }
    }

    private void ReadStats()
    {
        bool open;
        lock (_handleLock)
        {
            open = _handleOpen;
        }

        if (open && LibPcapNative.GetStats(_handle, out LibPcapNative.Stats stats) == 0)
        {
            Volatile.Write(ref _kernelReceived, stats.Received / _kernelCopies);
            Volatile.Write(ref _kernelDropped, stats.Dropped / _kernelCopies);
            Volatile.Write(ref _interfaceDropped, stats.InterfaceDropped);
        }
    }

    private void CloseDevice()
    {
        lock (_handleLock)
        {
            if (!_handleOpen)
            {
                return;
            }

            _handleOpen = false;
            LibPcapNative.CloseFd(_stopEvent);
        }

        _device.Handle.DangerousRelease();
        try
        {
            _device.Close();
        }
        catch (Exception)
        {
            // Closing a device whose interface vanished may complain; the handle is released either way.
        }

        _device.Dispose();
    }
}
