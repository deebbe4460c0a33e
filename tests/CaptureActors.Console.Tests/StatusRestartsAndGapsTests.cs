using System.Text.Json;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

public sealed class StatusRestartsAndGapsTests : CapturectlTest
{
    private static readonly DateTimeOffset DownAt = new(2026, 11, 24, 19, 1, 2, TimeSpan.Zero);

    private static CaptureStatus Flapped()
    {
        var running = Statuses.Running(packets: 90);
        var row = running.Interfaces[0] with
        {
            Restarts = 2,
            Gaps = [new CaptureGap(DownAt, DownAt.AddSeconds(3.1), "link-down"), new CaptureGap(DownAt.AddSeconds(60), DownAt.AddSeconds(65), "link-down")],
        };
        var waiting = Statuses.Interface(CaptureState.Running, 5, null) with { Interface = "eth1", Error = "eth1: link down since 19:03:00 UTC, waiting for it to come back" };
        return running with { Interfaces = [row, waiting] };
    }

    [Fact]
    public async Task Status_table_shows_restarts_per_interface_and_one_line_per_gap()
    {
        Respond(m => m is GetCaptureStatus ? Flapped() : null);

        var result = await Run("packetcapture", "status");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Contains("Restarts", result.Out);
        var eth0 = result.Out.Split('\n').Single(line => line.Contains("eth0 ", StringComparison.Ordinal) && line.Contains('│') && !line.StartsWith("gap", StringComparison.Ordinal));
        Assert.EndsWith("2 │", eth0.TrimEnd());
        var eth1 = result.Out.Split('\n').Single(line => line.Contains("eth1 ", StringComparison.Ordinal) && line.Contains('│'));
        Assert.EndsWith("0 │", eth1.TrimEnd());
        Assert.Contains("gap eth0 2026-11-24 19:01:02Z .. 2026-11-24 19:01:05Z (3.1 s, link-down)", result.Out);
        Assert.Contains("gap eth0 2026-11-24 19:02:02Z .. 2026-11-24 19:02:07Z (5.0 s, link-down)", result.Out);
        Assert.DoesNotContain("gap eth1", result.Out);
        Assert.Contains("eth1: link down since 19:03:00 UTC, waiting for it to come back", result.Out);
    }

    [Fact]
    public async Task Status_json_has_restarts_and_gaps_per_interface()
    {
        Respond(m => m is GetCaptureStatus ? Flapped() : null);

        var result = await Run("packetcapture", "status", "--json");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var eth0 = document.RootElement.GetProperty("interfaces")[0];
        Assert.Equal(2, eth0.GetProperty("restarts").GetInt32());
        var gap = eth0.GetProperty("gaps")[0];
        Assert.Equal("link-down", gap.GetProperty("reason").GetString());
        Assert.Equal(DownAt, gap.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(DownAt.AddSeconds(3.1), gap.GetProperty("to").GetDateTimeOffset());
    }
}
