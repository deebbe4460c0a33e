using System.Text.Json;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

public sealed class StartCommandTests : CapturectlTest
{
    private static readonly ActiveCaptureInfo RunningCapture =
        new("cap-7", "bob@gw1 (capturectl, pid 99)", DateTimeOffset.Parse("2026-01-01T10:00:00Z"), 99);

    [Fact]
    public async Task Start_while_a_capture_runs_exits_1_naming_the_running_capture_and_its_owner()
    {
        Respond(m => m is StartCapture
            ? new CaptureRejected(ErrorCode.AlreadyRunning, "a capture already runs on node node1", RunningCapture)
            : null);

        var result = await Run("packetcapture", "start", "-i", "eth0");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.StartsWith("capturectl: a capture already runs on node node1", result.Error);
        Assert.Contains("cap-7", result.Error);
        Assert.Contains("bob@gw1", result.Error);
        Assert.Contains("2026-01-01 10:00:00Z", result.Error);
    }

    [Fact]
    public async Task Start_rejection_in_json_mode_is_an_error_document_with_the_running_capture()
    {
        Respond(m => m is StartCapture
            ? new CaptureRejected(ErrorCode.AlreadyRunning, "a capture already runs", RunningCapture)
            : null);

        var result = await Run("packetcapture", "start", "--json");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Equal("", result.Error);
        using var document = JsonDocument.Parse(result.Out);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal("already-running", error.GetProperty("code").GetString());
        Assert.Equal("cap-7", error.GetProperty("detail").GetProperty("captureId").GetString());
        Assert.Equal(99, error.GetProperty("detail").GetProperty("processId").GetInt32());
    }

    [Fact]
    public async Task Start_with_an_invalid_filter_exits_1_with_the_agents_message()
    {
        Respond(m => m is StartCapture ? new CaptureRejected(ErrorCode.InvalidFilter, "invalid filter 'tcp prt 25': syntax error") : null);

        var result = await Run("packetcapture", "start", "-f", "tcp prt 25");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Equal("capturectl: invalid filter 'tcp prt 25': syntax error", result.Error.Trim());
    }

    [Fact]
    public async Task Attached_start_is_bound_to_a_session_and_carries_the_parsed_settings()
    {
        Respond(m => m switch
        {
            StartCapture => new CaptureStarted(Statuses.Running()),
            GetCaptureStatus => Statuses.Stopped(StopReason.DurationReached),
            ListFiles => new FileListing(Statuses.Node, []),
            _ => null,
        });

        var result = await Run("packetcapture", "start", "-i", "eth0", "--max-size", "200MB", "--duration", "30s", "--ring", "3", "--snaplen", "96", "-f", "port 25");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        var start = Assert.Single(ReceivedOf<StartCapture>());
        Assert.False(start.Detached);
        Assert.NotNull(start.OwnerSession);
        Assert.Equal("capturectl", start.Owner.Client);
        Assert.Equal(200L << 20, start.Options.MaxFileSizeBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), start.Options.MaxDuration);
        Assert.Equal(3, start.Options.RingFiles);
        Assert.Equal(96, start.Options.SnapLength);
        Assert.Equal("port 25", start.Options.Filter);
        Assert.Equal(["eth0"], start.Options.Interfaces);
    }

    [Fact]
    public async Task Capture_ended_by_a_limit_prints_the_reason_and_file_paths_without_sending_stop()
    {
        var polls = 0;
        Respond(m => m switch
        {
            StartCapture => new CaptureStarted(Statuses.Running()),
            GetCaptureStatus => Interlocked.Increment(ref polls) < 3 ? Statuses.Running(polls * 10) : Statuses.Stopped(StopReason.DurationReached),
            ListFiles => new FileListing(Statuses.Node, [File(Statuses.FileName, Statuses.CaptureId)]),
            _ => null,
        });

        var result = await Run("--data-dir", "/data", "packetcapture", "start");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Empty(ReceivedOf<StopCapture>());
        Assert.Contains("stopped: duration-reached", result.Out);
        Assert.Contains("/data/captures/" + Statuses.FileName, result.Out);
        Assert.Contains("running elapsed 00:03", result.Out);
    }

    [Fact]
    public async Task Cancelling_an_attached_capture_sends_StopCapture_for_it_and_prints_the_final_status()
    {
        Respond(m => m switch
        {
            StartCapture => new CaptureStarted(Statuses.Running()),
            GetCaptureStatus => Statuses.Running(),
            StopCapture => new CaptureStopped(true, Statuses.Stopped(StopReason.ByRequest)),
            ListFiles => new FileListing(Statuses.Node, [File(Statuses.FileName, Statuses.CaptureId), File("other.pcap", "cap-1")]),
            _ => null,
        });
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(1200));

        var result = await Run(interrupt.Token, "--data-dir", "/data", "packetcapture", "start");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        var stop = Assert.Single(ReceivedOf<StopCapture>());
        Assert.Equal(Statuses.CaptureId, stop.CaptureId);
        Assert.Contains("stopped: by-request", result.Out);
        Assert.Contains("/data/captures/" + Statuses.FileName, result.Out);
        Assert.DoesNotContain("other.pcap", result.Out);
    }

    [Fact]
    public async Task Attached_start_in_json_mode_prints_one_document_with_stop_reason_and_files()
    {
        Respond(m => m switch
        {
            StartCapture => new CaptureStarted(Statuses.Running()),
            GetCaptureStatus => Statuses.Stopped(StopReason.SizeReached),
            ListFiles => new FileListing(Statuses.Node, [File(Statuses.FileName, Statuses.CaptureId)]),
            _ => null,
        });

        var result = await Run("--json", "--data-dir", "/data", "packetcapture", "start");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var root = document.RootElement;
        Assert.Equal("size-reached", root.GetProperty("stopReason").GetString());
        Assert.Equal("stopped", root.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal(5, root.GetProperty("status").GetProperty("elapsed").GetDouble());
        Assert.Equal("/data/captures/" + Statuses.FileName, root.GetProperty("files")[0].GetString());
    }

    [Fact]
    public async Task Failed_capture_exits_1_with_its_error()
    {
        Respond(m => m switch
        {
            StartCapture => new CaptureStarted(Statuses.Running()),
            GetCaptureStatus => Statuses.Stopped(StopReason.InterfaceGone) with { State = CaptureState.Failed, Error = "eth0 disappeared" },
            ListFiles => new FileListing(Statuses.Node, []),
            _ => null,
        });

        var result = await Run("packetcapture", "start");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("eth0 disappeared", result.Error);
    }

    [Fact]
    public async Task Run_detached_starts_a_detached_capture_without_a_session()
    {
        Respond(m => m switch
        {
            StartCapture => new CaptureStarted(Statuses.Running() with { Detached = true }),
            GetCaptureStatus => Statuses.Stopped(StopReason.DurationReached),
            ListFiles => new FileListing(Statuses.Node, []),
            _ => null,
        });

        var result = await Run("packetcapture", "start", "--run-detached", "--duration", "2s");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        var start = Assert.Single(ReceivedOf<StartCapture>());
        Assert.True(start.Detached);
        Assert.Null(start.OwnerSession);
    }

    internal static CaptureFileInfo File(string name, string captureId, long size = 2048, string? sha256 = null,
        CaptureFileState state = CaptureFileState.Finished) =>
        new(name, captureId, "eth0", size, 20, null, null, DateTimeOffset.Parse("2026-01-01T00:00:05Z"), state, sha256);
}
