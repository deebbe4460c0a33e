using Akka.Actor;

namespace CaptureActors.Protocol.Tests.Serialization;

/// <summary>One realistic message of every protocol type, every field set to a non-default value.</summary>
internal static class ProtocolSamples
{
    private static readonly DateTimeOffset Started = new(2026, 11, 24, 14, 3, 7, 123, TimeSpan.FromHours(1));

    private static readonly CaptureOwner Owner = new("alice", "ops-7", 4242, "capturectl");

    private static readonly CaptureSettings Settings = new(["eth0", "veth-a1"], "udp port 53 and not host 10.0.0.1", 1514, 50L << 20, TimeSpan.FromMinutes(90), 12, false);

    private static readonly CaptureOptions Options = new(["eth1"], "tcp port 443", 9000, 8L << 20, TimeSpan.FromSeconds(45), 4, false, true, true, true);

    private static readonly InterfaceCaptureStatus EthStatus = new(
        "eth0", CaptureState.Stopped, "ops-7_eth0_20261124T140307_0003.pcap", 12_345_678, 100_200, 100_150, 12_000_000, 200_400, 37, 2, 3, StopReason.DurationReached, "kernel buffer overran twice");

    private static readonly CaptureStatus Status = new(
        "ops-7", CaptureState.Stopped, "c-20261124-140307", Owner, true, Settings, Started, Started.AddMinutes(90), TimeSpan.FromMinutes(90) + TimeSpan.FromMilliseconds(17),
        StopReason.DurationReached, "one interface reported errors", [EthStatus, EthStatus with { Interface = "veth-a1", State = CaptureState.Failed, StopReason = StopReason.InterfaceGone }], true);

    private static readonly CaptureFileInfo File = new(
        "ops-7_eth0_20261124T140307_0003.pcap", "c-20261124-140307", "eth0", 12_345_678, 100_150, Started, Started.AddMinutes(89), Started.AddMinutes(90), CaptureFileState.Writing,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

    /// <summary>Deterministic, non-repeating bytes (a chunk of a pcap file in spirit).</summary>
    public static byte[] Payload(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    /// <summary>Every allow-listed message; <paramref name="session"/> stands in for the console session actor.</summary>
    public static IReadOnlyList<ICaptureProtocol> All(IActorRef session) =>
    [
        new StartCapture(Options, Owner, false, session, "c-20261124-140307", new DateTimeOffset(2026, 11, 24, 14, 3, 8, 250, TimeSpan.Zero)),
        new StopCapture("c-20261124-140307"),
        GetCaptureStatus.Instance,
        GetSetup.Instance,
        new UpdateSetup(Options),
        new CaptureStarted(Status),
        new CaptureRejected(ErrorCode.AlreadyRunning, "a capture already runs on ops-7", new ActiveCaptureInfo("c-1", Owner.ToString(), Started, 777)),
        new CaptureStopped(true, Status),
        Status,
        new SetupReport("ops-7", Settings),
        ListFiles.Instance,
        new FileListing("ops-7", [File, File with { Name = "b.pcap", State = CaptureFileState.Finished }]),
        new DeleteFiles(["a.pcap", "b.pcap", "../etc/passwd"]),
        ClearFiles.Instance,
        new FilesDeleted(["a.pcap"], [new FileRefusal("../etc/passwd", ErrorCode.UnsafeFileName, "not a capture file name")]),
        new ReadFileChunk("a.pcap", 131_072, ReadFileChunk.MaxChunkBytes),
        new FileChunk("ops-7_eth0_20261124T140307_0003.pcap", 131_072, Payload(ReadFileChunk.MaxChunkBytes), 12_345_678, true),
        ListInterfaces.Instance,
        new InterfaceListing("ops-7", [new NetworkInterfaceInfo("eth0", true, ["10.0.0.7/24", "fe80::1/64"], 1500, "EN10MB", true, "Ethernet über alles")]),
        IdentifyAgent.Instance,
        new AgentIdentity("ops-7", "0.1.0", "/var/lib/capture", Started),
        new CommandFailed(ErrorCode.IoError, "disk full: 0 bytes free on /var/lib/capture"),

        // Probes
        new CancelProbe("p-1"),
        new ProbeFailed("p-1", ErrorCode.UnknownHost, "no address for mx.example.invalid"),
        new ListTcpServices("p-2"),
        new TcpServicesReport("p-2", [new ListeningService("sshd", 812, "root", "IPv6", "tcp", "*", 22)]),
        new PingHost("p-3", "mx.example.net", 5, TimeSpan.FromMilliseconds(500), 1400, IcmpFamily.V6, TimeSpan.FromSeconds(3)),
        new PingStarted("p-3", "mx.example.net", "fd12:3456:789a::2", 1400),
        new PingResponse("p-3", 2, PingOutcome.Unreachable, "fd12:3456:789a::1", 1448, 63, 0.045, "Destination Host Unreachable"),
        new PingSummary("p-3", "mx.example.net", "fd12:3456:789a::2", 5, 4, 1, TimeSpan.FromMilliseconds(4012), new PingRoundTrips(0.031, 0.045, 0.102, 0.012), true),
        new Traceroute("p-4", "mx.example.net", IcmpFamily.V4, 12, 4, TimeSpan.FromMilliseconds(1500)),
        new TracerouteStarted("p-4", "mx.example.net", "198.18.0.6", 12, 60),
        new TracerouteHopDone("p-4", new TracerouteHop(1, [new TracerouteAnswer("198.18.0.2", 0.123, "!H")])),
        new TracerouteReport("p-4", "mx.example.net", "198.18.0.6", [new TracerouteHop(2, [new TracerouteAnswer("198.18.0.6", 0.2, "!N"), new TracerouteAnswer("198.18.0.6", 0.25, "!X")])], true, true),
    ];
}
