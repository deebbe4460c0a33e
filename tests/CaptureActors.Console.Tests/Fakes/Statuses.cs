using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests.Fakes;

/// <summary>Capture statuses as a node would report them.</summary>
public static class Statuses
{
    public const string Node = "node1";
    public const string CaptureId = "cap-42";
    public const string FileName = "node1_eth0_20260101T000000Z_1.pcap";
    public static readonly CaptureOwner Owner = new("alice", "desk", 4242, "capturectl");

    public static CaptureStatus Running(long packets = 10) => new(
        Node,
        CaptureState.Running,
        CaptureId,
        Owner,
        false,
        CaptureSettings.Default,
        DateTimeOffset.Parse("2026-01-01T00:00:00Z"),
        null,
        TimeSpan.FromSeconds(3),
        null,
        null,
        [Interface(CaptureState.Running, packets, null)]);

    public static CaptureStatus Stopped(StopReason reason) => Running(20) with
    {
        State = CaptureState.Stopped,
        StopReason = reason,
        StoppedAt = DateTimeOffset.Parse("2026-01-01T00:00:05Z"),
        Elapsed = TimeSpan.FromSeconds(5),
        Interfaces = [Interface(CaptureState.Stopped, 20, reason)],
    };

    public static InterfaceCaptureStatus Interface(CaptureState state, long packets, StopReason? reason) => new(
        "eth0", state, "/data/captures/" + FileName, 2048, packets, packets, 2048, packets, 1, 0, 1, reason, null);
}
