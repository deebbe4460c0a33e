using System.Text.Json;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

public sealed class StatusAndJsonTests : CapturectlTest
{
    [Fact]
    public async Task Status_json_has_camel_case_names_kebab_enums_and_seconds()
    {
        Respond(m => m is GetCaptureStatus ? Statuses.Stopped(StopReason.DurationReached) : null);

        var result = await Run("packetcapture", "status", "--json");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var root = document.RootElement;
        Assert.Equal("stopped", root.GetProperty("state").GetString());
        Assert.Equal("duration-reached", root.GetProperty("stopReason").GetString());
        Assert.Equal(5, root.GetProperty("elapsed").GetDouble());
        Assert.Equal(Statuses.CaptureId, root.GetProperty("captureId").GetString());
        Assert.Equal("eth0", root.GetProperty("interfaces")[0].GetProperty("interface").GetString());
        Assert.Equal(200L << 20, root.GetProperty("settings").GetProperty("maxFileSizeBytes").GetInt64());
    }

    [Fact]
    public async Task Status_table_shows_each_interface_with_its_counters()
    {
        Respond(m => m is GetCaptureStatus ? Statuses.Running(packets: 1234) : null);

        var result = await Run("packetcapture", "status");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Contains("capture cap-42 running", result.Out);
        Assert.Contains("alice@desk", result.Out);
        var row = result.Out.Split('\n').Single(line => line.Contains("eth0") && line.Contains(Statuses.FileName));
        Assert.Contains("1,234", row);
        Assert.Contains("2.0 KB", row);
        Assert.Contains("00:03", row);
    }

    [Fact]
    public async Task Stop_when_nothing_runs_says_so_and_exits_0()
    {
        Respond(m => m is StopCapture ? new CaptureStopped(false, CaptureStatus.Idle(Statuses.Node)) : null);

        var result = await Run("packetcapture", "stop");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Contains("no capture was running", result.Out);
        Assert.Null(Assert.Single(ReceivedOf<StopCapture>()).CaptureId);
    }

    [Fact]
    public async Task Command_failed_reply_exits_1_with_its_message()
    {
        Respond(m => m is ListInterfaces ? new CommandFailed(ErrorCode.PermissionDenied, "CAP_NET_RAW is missing") : null);

        var result = await Run("interfaces");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Equal("capturectl: CAP_NET_RAW is missing", result.Error.Trim());
    }

    [Fact]
    public async Task Interfaces_json_lists_every_interface()
    {
        Respond(m => m is ListInterfaces
            ? new InterfaceListing(Statuses.Node, [new NetworkInterfaceInfo("lo", true, ["127.0.0.1"], 65536, "EN10MB", true, null)])
            : null);

        var result = await Run("interfaces", "--json");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var nic = document.RootElement.GetProperty("interfaces")[0];
        Assert.Equal("lo", nic.GetProperty("name").GetString());
        Assert.True(nic.GetProperty("capturable").GetBoolean());
    }

    [Fact]
    public async Task Status_watch_json_prints_one_document_per_line_until_cancelled()
    {
        Respond(m => m is GetCaptureStatus ? Statuses.Running() : null);
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(1500));

        var result = await Run(interrupt.Token, "packetcapture", "status", "--watch", "--json");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 2, 3);
        Assert.All(lines, line => Assert.Equal("running", JsonDocument.Parse(line).RootElement.GetProperty("state").GetString()));
    }
}
