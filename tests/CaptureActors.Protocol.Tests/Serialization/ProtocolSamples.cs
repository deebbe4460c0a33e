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
        "eth0", CaptureState.Stopped, "ops-7_eth0_20261124T140307_0003.pcap", 12_345_678, 100_200, 100_150, 12_000_000, 200_400, 37, 2, 3, StopReason.DurationReached, "kernel buffer overran twice",
        2, [new CaptureGap(Started.AddMinutes(3), Started.AddMinutes(3).AddSeconds(4), "link-down"), new CaptureGap(Started.AddMinutes(40), Started.AddMinutes(41), "agent-restart")], 2_345_678);

    private static readonly CaptureStatus Status = new(
        "ops-7", CaptureState.Stopped, "c-20261124-140307", Owner, true, Settings, Started, Started.AddMinutes(90), TimeSpan.FromMinutes(90) + TimeSpan.FromMilliseconds(17),
        StopReason.DurationReached, "one interface reported errors", [EthStatus, EthStatus with { Interface = "veth-a1", State = CaptureState.Failed, StopReason = StopReason.InterfaceGone }], true,
        1, new DiskHeadroom(8L << 30, 1L << 30, 3L << 30, 4L << 30));

    private static readonly CaptureFileInfo File = new(
        "ops-7_eth0_20261124T140307_0003.pcap", "c-20261124-140307", "eth0", 12_345_678, 100_150, Started, Started.AddMinutes(89), Started.AddMinutes(90), CaptureFileState.Writing,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Kept: true);

    private static readonly InterfaceTraffic Traffic = new("eth0", 120, 1, 2, 96_000, 80, 3, 4, 11_000, 5);
    private static readonly SmtpCapabilities SmtpEhlo = new(
        "mail.example.test Hello [127.0.0.1]", ["SIZE 10240000", "8BITMIME", "PIPELINING", "STARTTLS", "AUTH PLAIN"], true, 10_240_000, true, true, true, true, true, true, ["PLAIN"]);

    private static readonly SmtpPhaseResult[] SmtpPhases =
    [
        new(SmtpPhase.Dns, true, TimeSpan.FromMilliseconds(3.5), 0, "MX mail.example.test (preference 10) -> 127.0.0.1"),
        new(SmtpPhase.RcptTo, false, TimeSpan.FromMilliseconds(1.25), 550, "550 5.1.1 <postmaster@example.test>: Recipient address rejected"),
    ];

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
        new CheckFilter("udp port banana"),
        new FilterChecked("ops-7", "udp port banana", false, "invalid filter 'udp port banana': unknown port 'banana'"),
        ListFiles.Instance,
        new FileListing("ops-7", [File, File with { Name = "b.pcap", State = CaptureFileState.Finished }], [new FileRefusal("c.pcap", ErrorCode.UnsafeFileName, "'c.pcap' on node ops-7 is a symbolic link, not a capture file: refused")]),
        new DeleteFiles(["a.pcap", "b.pcap", "../etc/passwd"]),
        ClearFiles.Instance,
        new FilesDeleted(["a.pcap"], [new FileRefusal("../etc/passwd", ErrorCode.UnsafeFileName, "not a capture file name")]),
        new KeepFiles(["a.pcap", "b.pcap"], true),
        new FilesKept(["a.pcap"], [new FileRefusal("b.pcap", ErrorCode.UnknownFile, "no capture file named 'b.pcap'")], true),
        new ReadFileChunk("a.pcap", 131_072, ReadFileChunk.MaxChunkBytes),
        new FileChunk("ops-7_eth0_20261124T140307_0003.pcap", 131_072, Payload(ReadFileChunk.MaxChunkBytes), 12_345_678, true),
        new OpenDownload("ops-7_eth0_20261124T140307_0003.pcap", 1_048_576),
        new DownloadTicket("ops-7_eth0_20261124T140307_0003.pcap", 1_048_576, 12_345_678, 40123, Payload(DownloadChannel.TokenBytes), Started.AddSeconds(30)),
        ListInterfaces.Instance,
        new InterfaceListing("ops-7", [new NetworkInterfaceInfo("eth0", true, ["10.0.0.7/24", "fe80::1/64"], 1500, "EN10MB", true, "Ethernet über alles")]),
        IdentifyAgent.Instance,
        new AgentIdentity("ops-7", "0.1.0", "/var/lib/capture", Started),
        new CommandFailed(ErrorCode.IoError, "disk full: 0 bytes free on /var/lib/capture"),
        new OpenSession(Owner),
        new SessionChallenge("ops-7", Payload(32), true, "/run/capture-actors/agent-4710-812.sock"),
        new SessionProof(Payload(32), Payload(600), Payload(64)),
        new SessionGranted("ops-7", Payload(32), "CN=viewer, O=CaptureActors dev", AgentRole.Viewer, Started.AddHours(8)),
        new AuthorizedRequest(Payload(32), "StopCapture", Payload(40)),

        // Probes
        new CancelProbe("p-1"),
        new ProbeFailed("p-1", ErrorCode.UnknownHost, "no address for mx.example.invalid"),
        new ListTcpServices("p-2"),
        new TcpServicesReport("p-2", [new ListeningService("sshd", 812, "root", "IPv6", "tcp", "*", 22)]),
        new ListNetstatSockets("p-3"),
        new NetstatSocketsReport("p-3", [new NetstatSocket("tcp6", 17, 2896, "fd00::7", 25, "fd00::9", 51234, "ESTABLISHED")]),
        new ListNetstatInterfaces("p-4"),
        new NetstatInterfacesReport("p-4", [new InterfaceStatistics(
            "eth0", 1500, "52:54:00:12:34:56", [new InterfaceAddress("10.0.0.0/24", "10.0.0.7"), new InterfaceAddress("fe80::/64", "fe80::5054:ff:fe12:3456")],
            1_000_001, 2, 3, 1_400_000_004, 900_005, 6, 7, 120_000_008, 9)]),
        new ListNetstatRoutes("p-5"),
        new NetstatRoutesReport("p-5", [new RouteEntry("IPv4", "default", "10.0.0.1", "UG", "eth0", 100)]),
        new ListNetstatListenQueues("p-6"),
        new NetstatListenReport("p-6", [new ListenQueue("IPv4", "127.0.0.1", 25, 3, 1, 37, 123_456)]),
        new WatchNetstatTraffic("p-7", TimeSpan.FromMilliseconds(500), 20),
        new TrafficSample("p-7", 4, Started, TimeSpan.FromMilliseconds(503), [Traffic]),
        new NetstatTrafficReport("p-7", 20, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10.02), "count", [Traffic with { Name = "lo" }]),
        new SmtpPing("p-3", "example.test", 2525, "probe@ops-7.example", "postmaster@example.test", true, true, TimeSpan.FromSeconds(7), "[fd00::53]:5353"),
        new SmtpPhaseCompleted("p-3", SmtpPhases[0]),
        new SmtpPingReport(
            "p-3",
            "example.test",
            2525,
            SmtpHostSource.Mx,
            [new SmtpMxHost("mail.example.test", 10, ["127.0.0.1", "::1"]), new SmtpMxHost("backup.example.test", 20, [])],
            "mail.example.test",
            10,
            "127.0.0.1",
            "mail.example.test ESMTP ready",
            SmtpEhlo,
            SmtpEhlo with { StartTls = false, AuthMechanisms = ["PLAIN", "LOGIN", "XOAUTH2"] },
            new SmtpTlsSession("Tls13", "TLS_AES_256_GCM_SHA384", "CN=mail.example.test", "CN=Test CA", Started, Started.AddDays(90), "0123456789ABCDEF0123456789ABCDEF01234567", false, ["RemoteCertificateChainErrors: UntrustedRoot"]),
            SmtpPhases,
            false,
            SmtpPhase.RcptTo,
            "rcpt-to refused: 550 5.1.1 <postmaster@example.test>: Recipient address rejected"),
        new ShowNeighbours("p-3", NeighbourFamily.Ipv6),
        new NeighbourReport("p-3", NeighbourFamily.Ipv6, [new NeighbourEntry("fd00::1", "02:00:00:00:00:01", "eth0", "REACHABLE", true)]),
        new FlushCaches("p-4"),
        new FlushReport("p-4", 3, 2, 1, 0, true),
        new ShowEtherconfig("p-5", EtherconfigView.Vlan),
        new EtherconfigReport("p-5", EtherconfigView.Vlan, [new EtherInterface(
            "eth0.100", "vlan", "UP", 1500, 68, 65535,
            new EtherMedia(1000, "full", true, true, "802.1Q VLAN Driver"),
            new VlanLink("eth0", 100),
            ["192.0.2.7/24", "fd00::7/64"],
            new EtherMulticast(true, false, 1, 1, 2))]),
        new SetMtu("p-6", "eth0", 1400),
        new AddVlan("p-7", "eth0", 100),
        new RemoveVlan("p-8", "eth0.100"),
        new EtherconfigChanged("p-6", "eth0", "mtu 1500 -> 1400"),
        new PingHost("p-3", "mx.example.net", 5, TimeSpan.FromMilliseconds(500), 1400, IcmpFamily.V6, TimeSpan.FromSeconds(3)),
        new PingStarted("p-3", "mx.example.net", "fd12:3456:789a::2", 1400),
        new PingResponse("p-3", 2, PingOutcome.Unreachable, "fd12:3456:789a::1", 1448, 63, 0.045, "Destination Host Unreachable"),
        new PingSummary("p-3", "mx.example.net", "fd12:3456:789a::2", 5, 4, 1, TimeSpan.FromMilliseconds(4012), new PingRoundTrips(0.031, 0.045, 0.102, 0.012), true),
        new Traceroute("p-4", "mx.example.net", IcmpFamily.V4, 12, 4, TimeSpan.FromMilliseconds(1500), Numeric: true, DnsServer: "[::1]:5353"),
        new TracerouteStarted("p-4", "mx.example.net", "198.18.0.6", 12, 60),
        new TracerouteHopDone("p-4", new TracerouteHop(1, [new TracerouteAnswer("198.18.0.2", 0.123, "!H", "router.example.net")])),
        new TracerouteReport("p-4", "mx.example.net", "198.18.0.6", [new TracerouteHop(2, [new TracerouteAnswer("198.18.0.6", 0.2, "!N"), new TracerouteAnswer("198.18.0.6", 0.25, "!X")])], true, true),
    ];
}
