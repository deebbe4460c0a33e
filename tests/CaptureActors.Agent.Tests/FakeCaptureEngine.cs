using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using CaptureActors.Capture;

namespace CaptureActors.Agent.Tests;

/// <summary>
/// A capture engine without libpcap, for actor tests: known interfaces, a filter "compiler" that refuses
/// anything containing "bogus", and captures that write real pcap files with one packet per tick until stopped,
/// a deadline passes or a packet budget runs out.
/// </summary>
public sealed class FakeCaptureEngine : ICaptureEngine
{
    /// <summary>As libpcap lists them, the pseudo-interface <c>any</c> included.</summary>
    public static readonly string[] Interfaces = ["any", "lo", "eth0", "eth1"];

    public string? MissingPrivilege { get; set; }

    /// <summary>Interfaces whose start fails with a device error.</summary>
    public HashSet<string> Broken { get; } = [];

    /// <summary>Packets a capture writes before it ends with SizeReached (null: unlimited).</summary>
    public int? PacketBudget { get; set; }

    public ConcurrentBag<FakeCapture> Started { get; } = [];

    /// <summary>How long opening a device takes (a slow driver).</summary>
    public TimeSpan OpenDelay { get; set; } = TimeSpan.Zero;

    public IReadOnlyList<InterfaceInfo> ListInterfaces() =>
        [.. Interfaces.Select(n => new InterfaceInfo(n, true, ["127.0.0.1"], 1500, "EN10MB", true, null))];

    public FilterCheck CheckFilter(string filter) =>
        filter.Contains("bogus", StringComparison.Ordinal) ? FilterCheck.Invalid("syntax error") : FilterCheck.Valid;

    public string? MissingCapturePrivilege() => MissingPrivilege;

    public IInterfaceCapture Start(InterfaceCaptureRequest request)
    {
        if (Broken.Contains(request.Interface))
        {
            throw new CaptureStartException(CaptureStartError.DeviceError, $"{request.Interface}: device is broken");
        }

        Thread.Sleep(OpenDelay);
        var capture = new FakeCapture(request, PacketBudget);
        Started.Add(capture);
        return capture;
    }
}

public sealed class FakeCapture : IInterfaceCapture
{
    private readonly InterfaceCaptureRequest _request;
    private readonly int? _budget;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _path;
    private long _packets;

    public FakeCapture(InterfaceCaptureRequest request, int? budget)
    {
        _request = request;
        _budget = budget;
        _path = request.SegmentPath(1);
        File.WriteAllBytes(_path, PcapHeader());
        Completion = Task.Run(RunAsync);
    }

    public string Interface => _request.Interface;

    public Task<InterfaceCaptureResult> Completion { get; }

    public string Path => _path;

    public InterfaceCaptureRequest Request => _request;

    public InterfaceCounters ReadCounters()
    {
        var packets = Interlocked.Read(ref _packets);
        var size = 24 + packets * 76;
        return new InterfaceCounters(packets, packets, size, packets, 0, 0, _path, size, size, 1);
    }

    public void Stop() => _stop.Cancel();

    public void Dispose()
    {
        _stop.Cancel();
        Completion.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task<InterfaceCaptureResult> RunAsync()
    {
        var reason = CaptureEndReason.Stopped;
        while (!_stop.IsCancellationRequested)
        {
            if (_request.Deadline is { } deadline && DateTimeOffset.UtcNow >= deadline)
            {
                reason = CaptureEndReason.DurationReached;
                break;
            }

            if (_budget is { } budget && Interlocked.Read(ref _packets) >= budget)
            {
                reason = CaptureEndReason.SizeReached;
                break;
            }

            AppendPacket();
            try
            {
                await Task.Delay(20, _stop.Token);
            }
            catch (TaskCanceledException)
            {
                break;
            }
        }

        var bytes = await File.ReadAllBytesAsync(_path);
        var segment = new CaptureSegment(_path, 1, bytes.Length, Interlocked.Read(ref _packets), null, null, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        return new InterfaceCaptureResult(reason, null, [segment], ReadCounters());
    }

    private void AppendPacket()
    {
        var record = new byte[16 + 60];
        var now = DateTimeOffset.UtcNow;
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)now.ToUnixTimeSeconds());
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(now.Millisecond * 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), 60);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), 60);
        using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            file.Write(record);
        }

        Interlocked.Increment(ref _packets);
    }

    private static byte[] PcapHeader()
    {
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        return header;
    }
}
