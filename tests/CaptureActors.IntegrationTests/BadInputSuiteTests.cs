using System.Text;
using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// The bad-input suite (issue 6): one real capture-agent process for every case. Each case asserts the specific error
/// (text and exit code, error code, or the agent's log line), that the agent still answers, and that no file in its
/// data directory changed (SHA-256, size and time of every file, before and after).
/// </summary>
public sealed class BadInputSuiteTests(AgentUnderTest agent) : IClassFixture<AgentUnderTest>
{
    private const string Node = AgentUnderTest.Node;

    /// <summary>A real, finished capture file in the data directory: the cases must not touch it.</summary>
    private const string SeededFile = Node + "_lo_20260101T000000Z_001.pcap";

    private static readonly string LongName = new string('a', 5000) + ".pcap";

    /// <summary>Issue 14: libpcap saw "udp port 1" of it (a C string), status and audit the whole.</summary>
    private const string NulFilter = "udp port 1\u0000 and not udp port 1";

    private const string NulProblem = "filter has a control character U+0000 at position 11: not allowed (only tab, newline and carriage return, which libpcap reads as spaces)";

    /// <summary>Issue 14: a delete of this name made a 200 KB reply that Akka dropped, and a 300 KB audit line.</summary>
    private static readonly string HugeName = new string('a', 100_000) + ".pcap";

    /// <summary>Planted beside the seeded file (<see cref="PlantedEntries"/>): links to a 0600 secret outside the data directory.</summary>
    private const string PlantedLink = Node + "_lo_20991231T000000Z_001.pcap";

    private const string PlantedHardLink = Node + "_lo_20991231T000000Z_002.pcap";

    private const string LinkRefused = $"'{PlantedLink}' on node {Node} is a symbolic link, not a capture file: refused";

    private const string HardLinkRefused = $"'{PlantedHardLink}' on node {Node} has 2 hard links (a capture file has one; another name may be a file outside the capture directory), not a capture file: refused";

    /// <summary>capturectl cases: arguments (the fixture's <c>--node</c> is appended unless a case names its own), exit code, the text it must print.</summary>
    private static readonly Dictionary<string, (string[] Arguments, int ExitCode, string Expected)> CommandLines = new()
    {
        ["interface unknown"] = (["packetcapture", "start", "-i", "nosuch0"], 1, $"unknown interface 'nosuch0' on node {Node}: valid interfaces are any,"),
        ["interface empty"] = (["packetcapture", "start", "-i", ""], 2, "--interface: '' names no interface"),
        ["interface only commas"] = (["packetcapture", "start", "-i", ",,"], 2, "--interface: ',,' names no interface"),
        ["interface too long"] = (["packetcapture", "start", "-i", new string('x', 300)], 2, "is not valid: 1 to 15 characters of letters, digits and . _ - : @"),
        ["interface unicode"] = (["packetcapture", "start", "-i", "ethé0"], 2, "interface name 'ethé0' is not valid"),
        ["interface path"] = (["packetcapture", "start", "-i", "../../etc"], 2, "interface name '../../etc' is not valid"),
        ["interface shell"] = (["packetcapture", "start", "-i", "lo;reboot"], 2, "interface name 'lo;reboot' is not valid"),
        ["filter unknown port"] = (["packetcapture", "start", "-i", "lo", "-f", "udp port banana"], 1, "invalid filter 'udp port banana': unknown port 'banana'"),
        ["filter syntax"] = (["packetcapture", "start", "-i", "lo", "-f", "tcp and and"], 1, "invalid filter 'tcp and and': can't parse filter expression: syntax error"),
        ["filter too long"] = (["packetcapture", "start", "-i", "lo", "-f", new string(' ', 4997) + "udp"], 2, "filter is 5000 characters long: at most 4096 are allowed"),
        ["size zero"] = (["packetcapture", "start", "-i", "lo", "--max-size", "0"], 2, "--max-size: size '0' must be greater than zero"),
        ["size negative"] = (["packetcapture", "start", "-i", "lo", "--max-size", "-5MB"], 2, "'-5MB' is not a size"),
        ["size words"] = (["packetcapture", "start", "-i", "lo", "--max-size", "lots"], 2, "'lots' is not a size"),
        ["size overflow"] = (["packetcapture", "start", "-i", "lo", "--max-size", "99999999999TB"], 2, "size '99999999999TB' is too large"),
        ["duration zero"] = (["packetcapture", "start", "-i", "lo", "--duration", "0s"], 2, "must be greater than zero"),
        ["duration negative"] = (["packetcapture", "start", "-i", "lo", "--duration", "-10s"], 2, "'-10s' is not a duration"),
        ["duration words"] = (["packetcapture", "start", "-i", "lo", "--duration", "soon"], 2, "'soon' is not a duration: expected a positive duration"),
        ["duration too long"] = (["packetcapture", "start", "-i", "lo", "--duration", "100000d"], 2, "duration 100000d is out of range: 1s to 30d"),
        ["ring of one"] = (["packetcapture", "start", "-i", "lo", "--ring", "1"], 2, "ring of 1 files is out of range: 2 to 10000 files"),
        ["ring words"] = (["packetcapture", "start", "-i", "lo", "--ring", "abc"], 2, "--ring: 'abc' is not a number of files"),
        ["snaplen zero"] = (["packetcapture", "start", "-i", "lo", "--snaplen", "0"], 2, "snap length 0 is out of range: 1 to 262144 bytes"),
        ["snaplen overflow"] = (["packetcapture", "start", "-i", "lo", "--snaplen", "99999999999"], 2, "--snaplen: '99999999999' is not a number of bytes"),
        ["setup snaplen negative"] = (["packetcapture", "setup", "--snaplen", "-1"], 2, "--snaplen: '-1' is not a number of bytes"),
        ["delete relative path"] = (["packetcapture", "delete", "../../etc/passwd"], 1, "'../../etc/passwd' is not a capture file name"),
        ["delete absolute path"] = (["packetcapture", "delete", "/etc/passwd"], 1, "'/etc/passwd' is not a capture file name"),
        ["delete traversal after a real name"] = (["packetcapture", "delete", SeededFile + "/../../x"], 1, "is not a capture file name"),
        ["delete unicode"] = (["packetcapture", "delete", "bäd_lo_20260101T000000Z_001.pcap"], 1, "'bäd_lo_20260101T000000Z_001.pcap' is not a capture file name"),
        ["delete very long"] = (["packetcapture", "delete", LongName], 1, "is not a capture file name"),
        ["delete unknown file"] = (["packetcapture", "delete", Node + "_lo_20990101T000000Z_001.pcap"], 1, $"no capture file named '{Node}_lo_20990101T000000Z_001.pcap' on node {Node}"),
        ["download relative path"] = (["packetcapture", "download", "../" + SeededFile, "-o", "SCRATCH"], 1, $"node {Node} has no capture file of that name"),
        ["download absolute path"] = (["packetcapture", "download", "/etc/shadow", "-o", "SCRATCH"], 1, $"node {Node} has no capture file of that name"),
        ["download symbolic link"] = (["packetcapture", "download", PlantedLink, "-o", "SCRATCH"], 1, LinkRefused),
        ["download hard link"] = (["packetcapture", "download", PlantedHardLink, "-o", "SCRATCH"], 1, HardLinkRefused),
        ["delete symbolic link"] = (["packetcapture", "delete", PlantedLink], 1, LinkRefused),
        ["keep symbolic link"] = (["packetcapture", "keep", PlantedLink], 1, LinkRefused),
        ["node without address"] = (["packetcapture", "status", "--node", "bad"], 2, "--node: 'bad' is not a node: expected NAME=HOST:PORT"),
        ["node port out of range"] = (["packetcapture", "status", "--node", "a=127.0.0.1:99999"], 2, "port 99999 is out of range 1 to 65535"),
        ["node broken IPv6"] = (["packetcapture", "status", "--node", "a=[::1"], 2, "'a=[::1' is not a node"),
        ["node unreachable"] = (["packetcapture", "status", "--node", "gone=127.0.0.1:1"], 1, "node 'gone' (127.0.0.1:1) is unreachable: connection refused (nothing listens on port 1 of 127.0.0.1: is its agent running, with --listen on that port?)"),
        ["on unknown node"] = (["packetcapture", "status", "--on", "nosuch"], 2, $"unknown node 'nosuch': known nodes are {Node}"),
        ["unknown option"] = (["packetcapture", "status", "--frobnicate"], 2, "Unrecognized command or argument '--frobnicate'"),
        ["unknown command"] = (["packetcapture", "frobnicate"], 2, "Unrecognized command or argument 'frobnicate'"),
        ["ping host not a name"] = (["ping", "not a host!", "-c", "1"], 1, "'not a host!' is neither an IP address nor a host name"),
        ["ping count zero"] = (["ping", "127.0.0.1", "-c", "0"], 2, "count 0 is out of range: 1 to 100000"),
        ["smtpping port out of range"] = (["diagnostic", "network", "smtpping", "127.0.0.1:99999"], 2, "port '99999' in '127.0.0.1:99999' is not a number in 1..65535"),
    };

    public static TheoryData<string> CommandLineCases => [.. CommandLines.Keys];

    [Theory]
    [MemberData(nameof(CommandLineCases))]
    public void A_bad_command_line_gets_its_specific_error_and_exit_code_and_changes_nothing(string name)
    {
        var (arguments, exitCode, expected) = CommandLines[name];
        var before = Seed();
        var scratch = agent.Scratch;
        var args = arguments.Select(a => a == "SCRATCH" ? scratch : a).ToArray();
        var ownNode = args.Contains("--node");

        var result = ownNode
            ? ProcessRunner.Run(Capturectl.Executable, args, TimeSpan.FromSeconds(60))
            : agent.Ctl(args);

        Assert.True(result.ExitCode == exitCode, $"{name}: exit {result.ExitCode}, expected {exitCode}\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        PlantedEntries.AssertNoSecret(result.StandardOutput + result.StandardError, name);
        PlantedEntries.AssertNoSecretIn(scratch);
        AssertUnharmed(before);
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (var command in new[] { "packetcapture start", "packetcapture stop", "packetcapture status", "packetcapture setup", "packetcapture files", "packetcapture download", "packetcapture delete", "packetcapture clear", "interfaces" })
        {
            var result = ProcessRunner.Run(Capturectl.Executable, [.. command.Split(' '), "--help"], TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode == 0, $"{command} --help: {result.StandardError}");
            Assert.Contains("Usage", result.StandardOutput);
        }
    }

    /// <summary>Well-formed protocol messages with bad content, sent over Akka.Remote as a console would: the agent's own checks, not capturectl's.</summary>
    private static readonly Dictionary<string, (object Message, ErrorCode Code, string Expected)> RemoteMessages = new()
    {
        ["delete relative path"] = (new DeleteFiles(["../../etc/passwd"]), ErrorCode.UnsafeFileName, "'../../etc/passwd' is not a capture file name"),
        ["delete with NUL"] = (new DeleteFiles([SeededFile + "\0.sh"]), ErrorCode.UnsafeFileName, "is not a capture file name"),
        ["delete very long"] = (new DeleteFiles([LongName]), ErrorCode.UnsafeFileName, "is not a capture file name"),
        ["read chunk absolute path"] = (new ReadFileChunk("/etc/shadow", 0, 1024), ErrorCode.UnsafeFileName, "'/etc/shadow' is not a capture file name"),
        ["read chunk negative offset"] = (new ReadFileChunk(SeededFile, -1, 1024), ErrorCode.InvalidSettings, "chunk offset -1 and length 1024 must be positive"),
        ["download ticket relative path"] = (new OpenDownload("../" + SeededFile, 0), ErrorCode.UnsafeFileName, "is not a capture file name"),
        ["download ticket offset beyond end"] = (new OpenDownload(SeededFile, 1L << 40), ErrorCode.InvalidSettings, $"offset {1L << 40} is outside '{SeededFile}'"),
        ["read chunk of a symbolic link"] = (new ReadFileChunk(PlantedLink, 0, ReadFileChunk.MaxChunkBytes), ErrorCode.UnsafeFileName, LinkRefused),
        ["read chunk of a hard link"] = (new ReadFileChunk(PlantedHardLink, 0, ReadFileChunk.MaxChunkBytes), ErrorCode.UnsafeFileName, HardLinkRefused),
        ["download ticket of a symbolic link"] = (new OpenDownload(PlantedLink, 0), ErrorCode.UnsafeFileName, LinkRefused),
        ["delete a symbolic link"] = (new DeleteFiles([PlantedLink]), ErrorCode.UnsafeFileName, LinkRefused),
        ["keep a symbolic link"] = (new KeepFiles([PlantedLink], Keep: true), ErrorCode.UnsafeFileName, LinkRefused),
        ["start on a path as interface"] = (Start(new CaptureOptions(Interfaces: ["../../x"], MaxDuration: TimeSpan.FromSeconds(5))), ErrorCode.InvalidSettings, "interface name '../../x' is not valid"),
        ["start with negative snap length"] = (Start(new CaptureOptions(Interfaces: ["lo"], SnapLength: -1, MaxDuration: TimeSpan.FromSeconds(5))), ErrorCode.InvalidSettings, "snap length -1 is out of range: 1 to 262144 bytes"),
        ["start with negative duration"] = (Start(new CaptureOptions(Interfaces: ["lo"], MaxDuration: TimeSpan.FromSeconds(-5))), ErrorCode.InvalidSettings, "is out of range: 1s to 30d"),
        ["start with a bad filter"] = (Start(new CaptureOptions(Interfaces: ["lo"], Filter: "udp port banana", MaxDuration: TimeSpan.FromSeconds(5))), ErrorCode.InvalidFilter, "unknown port 'banana'"),
        ["start a day ahead"] = (Start(new CaptureOptions(Interfaces: ["lo"], MaxDuration: TimeSpan.FromSeconds(5))) with { StartAt = DateTimeOffset.UtcNow.AddDays(1) }, ErrorCode.InvalidSettings, "s ahead of this no"),
        ["start with a bad capture id"] = (Start(new CaptureOptions(Interfaces: ["lo"], MaxDuration: TimeSpan.FromSeconds(5))) with { CaptureId = "../x" }, ErrorCode.InvalidSettings, "capture id '../x' is not valid"),
        ["setup with a ring of one"] = (new UpdateSetup(new CaptureOptions(RingFiles: 1, MaxFileSizeBytes: 1_000_000)), ErrorCode.InvalidSettings, "ring of 1 files is out of range"),
        ["start with a NUL in the filter"] = (Start(new CaptureOptions(Interfaces: ["lo"], Filter: NulFilter, MaxDuration: TimeSpan.FromSeconds(5))), ErrorCode.InvalidSettings, NulProblem),
        ["check a filter with a NUL"] = (new CheckFilter(NulFilter), ErrorCode.InvalidFilter, NulProblem),
        ["setup with a NUL in the filter"] = (new UpdateSetup(new CaptureOptions(Filter: NulFilter)), ErrorCode.InvalidSettings, NulProblem),
        ["start with an escape sequence in the filter"] = (Start(new CaptureOptions(Interfaces: ["lo"], Filter: "udp\u001b[2J", MaxDuration: TimeSpan.FromSeconds(5))), ErrorCode.InvalidSettings, "filter has a control character U+001B at position 4"),
        ["start with a 100,000-character filter"] = (Start(new CaptureOptions(Interfaces: ["lo"], Filter: new string('x', 100_000), MaxDuration: TimeSpan.FromSeconds(5))), ErrorCode.InvalidSettings, "filter is 100000 characters long: at most 4096 are allowed"),
        ["check a 100,000-character filter"] = (new CheckFilter(new string('x', 100_000)), ErrorCode.InvalidFilter, "filter is 100000 characters long: at most 4096 are allowed"),
        ["delete a 100,000-character name"] = (new DeleteFiles([HugeName]), ErrorCode.UnsafeFileName, $"'{new string('a', 60)}…' (100,005 characters) is not a capture file name: it is 100,005 bytes long, at most 255 are allowed (DeleteFiles names[0])"),
        ["download ticket for a 300-character name"] = (new OpenDownload(new string('b', 300), 0), ErrorCode.UnsafeFileName, "at most 255 are allowed (OpenDownload name)"),
        ["start with a 50,000-character owner"] = (new StartCapture(new CaptureOptions(Interfaces: ["lo"]), new CaptureOwner(new string('u', 50_000), "test", 1, "BadInputSuiteTests"), Detached: true), ErrorCode.InvalidArgument, "StartCapture owner.user is 50,000 characters long: at most 1,024 are allowed"),
        ["stop with a 10,000-character capture id"] = (new StopCapture(new string('c', 10_000)), ErrorCode.InvalidArgument, "StopCapture captureId is 10,000 characters long: at most 64 are allowed"),
        ["delete 10,001 names"] = (new DeleteFiles([.. Enumerable.Range(0, 10_001).Select(i => $"{i}")]), ErrorCode.InvalidArgument, "DeleteFiles names has 10,001 items: at most 10,000 are allowed"),
    };

    public static TheoryData<string> RemoteMessageCases => [.. RemoteMessages.Keys];

    [Theory]
    [MemberData(nameof(RemoteMessageCases))]
    public void A_bad_remote_message_gets_its_specific_error_code_and_changes_nothing(string name)
    {
        var (message, code, expected) = RemoteMessages[name];
        var before = Seed();

        var (actualCode, text) = agent.Ask<object>(message) switch
        {
            CommandFailed failed => (failed.Code, failed.Message),
            CaptureRejected rejected => (rejected.Code, rejected.Message),
            FilesDeleted { Deleted.Count: 0, Refused: [var refusal] } => (refusal.Code, refusal.Message),
            FilterChecked { Valid: false } refused => (ErrorCode.InvalidFilter, refused.Error!),
            FilesKept { Changed.Count: 0, Refused: [var refusal] } => (refusal.Code, refusal.Message),
            var other => throw new InvalidOperationException($"{name}: the agent answered {other}"),
        };

        Assert.True(actualCode == code, $"{name}: {actualCode} '{text}', expected {code}");
        Assert.Contains(expected, text, StringComparison.Ordinal);
        PlantedEntries.AssertNoSecret(text, name);
        AssertUnharmed(before);
    }

    [Fact]
    public void A_refusal_of_a_huge_name_leaves_a_short_audit_line()
    {
        var before = Seed();

        // Straight to the guardian: wrapped in a session's AuthorizedRequest it would not fit in a frame, and the console's
        // session proxy refuses it before sending (the remote-message case above).
        var refused = agent.AskGuardian<CommandFailed>(new DeleteFiles([HugeName]));

        Assert.Equal(ErrorCode.UnsafeFileName, refused.Code);
        var audit = Path.Combine(agent.DataDirectory, AgentUnderTest.AuditLogName);
        var line = File.ReadLines(audit).Last(l => l.Contains("DeleteFiles names[0]", StringComparison.Ordinal));
        Assert.True(line.Length < 8 * 1024, $"the audit line is {line.Length} characters long");
        AssertUnharmed(before);
    }

    /// <summary><c>--nodes FILE</c> cases (issue 14: <c>--nodes /dev/zero</c> aborted with exit 134 at 8 GB): the file, then the message.</summary>
    private static readonly Dictionary<string, (Func<string, string> Make, string Expected)> NodesFiles = new()
    {
        ["a character device"] = (_ => "/dev/zero", "capturectl: nodes file /dev/zero is not a regular file (a character device)"),
        ["a FIFO without a writer"] = (scratch => Fifo(Path.Combine(scratch, "nodes.fifo")), "is not a regular file (a FIFO)"),
        ["a directory"] = (scratch => scratch, "is not a regular file (a directory)"),
        ["a 2 MB file"] = (scratch => Written(Path.Combine(scratch, "nodes.big"), new string('#', 2_000_000)), "is larger than 1 MiB: at most 1,048,576 bytes are allowed"),
        ["a 10 KB line"] = (scratch => Written(Path.Combine(scratch, "nodes.long"), "a=" + new string('x', 10_240) + "\n"), "nodes.long:1: line is 10,242 characters long: at most 4,096 are allowed in a nodes file"),
        ["a binary file"] = (scratch => Written(Path.Combine(scratch, "nodes.bin"), "a=127.0.0.1:1\u0000\u0001\n"), "nodes.bin:1: control character U+0000 at column 14: a nodes file is text"),
    };

    public static TheoryData<string> NodesFileCases => [.. NodesFiles.Keys];

    [Theory]
    [MemberData(nameof(NodesFileCases))]
    public void A_bad_nodes_file_is_a_usage_error_naming_the_file_and_the_limit(string name)
    {
        var (make, expected) = NodesFiles[name];
        var before = Seed();
        var path = make(agent.Scratch);
        try
        {
            // ProcessRunner's bound fails the case if capturectl blocks (a FIFO) instead of answering.
            var result = ProcessRunner.Run(Capturectl.Executable, ["--nodes", path, "packetcapture", "status"], TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 2, $"{name}: exit {result.ExitCode}, expected 2\n{result.StandardOutput}\n{result.StandardError}");
            Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
            Assert.True(result.StandardError.Length < 2048, $"{name}: {result.StandardError.Length} characters on stderr");
        }
        finally
        {
            if (path.StartsWith(agent.Scratch + "/", StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }

        AssertUnharmed(before);
    }

    private static string Written(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    private static string Fifo(string path)
    {
        File.Delete(path);
        var made = ProcessRunner.Run("mkfifo", [path]);
        Assert.True(made.ExitCode == 0, made.StandardError);
        return path;
    }

    /// <summary>Forged at the wire (see <see cref="WireForger"/>): the agent drops each with a log line and no answer.</summary>
    private static readonly Dictionary<string, (ForgedMessage Message, string Logged)> WireMessages = new()
    {
        ["manifest with NUL"] = (new ForgedProtocolMessage("Start\0Capture", "{}"u8.ToArray()), @"Unknown CaptureActors protocol manifest 'Start\u0000Capture'"),
        ["manifest 10,000 characters"] = (new ForgedProtocolMessage(new string('M', 10_000), []), "Unknown CaptureActors protocol manifest '" + new string('M', 100) + "…'"),
        ["malformed JSON"] = (new ForgedProtocolMessage("DeleteFiles", "{\"names\":[\"x\""u8.ToArray()), "'DeleteFiles' payload (13 bytes) is not a valid DeleteFiles"),
        ["gadget under an allowed manifest"] = (new ForgedProtocolMessage("DeleteFiles", Encoding.UTF8.GetBytes("""{"$type":"System.IO.FileInfo, System.IO.FileSystem","names":["x"]}""")), "carries the JSON metadata property '$type'"),
        ["FileChunk with a lying length"] = (new ForgedProtocolMessage("FileChunk", ChunkWithHugeName()), "FileChunk payload is invalid: name length 2147483647 does not fit"),
        ["Newtonsoft gadget"] = (new ForgedNewtonsoftMessage("System.IO.FileInfo, System.IO.FileSystem", Encoding.UTF8.GetBytes("""{"$type":"System.IO.FileInfo, System.IO.FileSystem","fileName":"/tmp/x"}""")), "Newtonsoft JSON with type names (serializer 1)"),
        ["oversized frame"] = (new ForgedProtocolMessage("IdentifyAgent", new byte[300_000]), "TooLongFrameException"),
    };

    public static TheoryData<string> WireMessageCases => [.. WireMessages.Keys];

    [Theory]
    [MemberData(nameof(WireMessageCases))]
    public async Task A_forged_wire_message_is_dropped_and_logged_and_changes_nothing(string name)
    {
        var (message, logged) = WireMessages[name];
        var before = Seed();
        using var forger = new WireForger(maximumFrameSize: 1_000_000);
        var target = await forger.ResolveAgentAsync(agent.Port);
        var count = agent.LogCount(logged);

        target.Tell(message);

        agent.WaitForLog(logged, count);
        AssertUnharmed(before);
    }

    private static StartCapture Start(CaptureOptions options) =>
        new(options, new CaptureOwner("bad-input", "test", Environment.ProcessId, "BadInputSuiteTests"), Detached: true);

    /// <summary>A FileChunk in its binary layout whose name length field claims 2 GiB.</summary>
    private static byte[] ChunkWithHugeName()
    {
        var bytes = new byte[26];
        bytes[0] = 1;
        BitConverter.TryWriteBytes(bytes.AsSpan(18), int.MaxValue);
        return bytes;
    }

    /// <summary>Puts the seeded capture file in place (once) and returns the data directory's fingerprint.</summary>
    private IReadOnlyDictionary<string, string> Seed()
    {
        var captures = Directory.CreateDirectory(Path.Combine(agent.DataDirectory, "captures")).FullName;
        var path = Path.Combine(captures, SeededFile);
        if (!File.Exists(path))
        {
            // A pcap global header (microsecond, Ethernet, snap length 262144) and one 60-byte packet.
            var pcap = new List<byte>();
            pcap.AddRange([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0]);
            pcap.AddRange(BitConverter.GetBytes(1_767_225_600u));
            pcap.AddRange(BitConverter.GetBytes(0u));
            pcap.AddRange(BitConverter.GetBytes(60u));
            pcap.AddRange(BitConverter.GetBytes(60u));
            pcap.AddRange(new byte[60]);
            File.WriteAllBytes(path, [.. pcap]);
            File.SetLastWriteTimeUtc(path, new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc));
        }

        if (!Path.Exists(Path.Combine(captures, PlantedLink)))
        {
            // The secret lives outside the data directory (beside it, on the same file system for the hard link); the
            // fixture's temporary root goes with everything in it.
            _ = new PlantedEntries(captures, Node, Path.GetDirectoryName(agent.DataDirectory)).Symlink().HardLink();
        }

        return agent.Fingerprint();
    }

    private void AssertUnharmed(IReadOnlyDictionary<string, string> before)
    {
        Assert.Equal(Node, agent.Identify().Node);
        var after = agent.Fingerprint();
        Assert.True(
            before.SequenceEqual(after),
            $"the data directory changed:\nbefore\n{AgentUnderTest.Describe(before)}after\n{AgentUnderTest.Describe(after)}");
        Assert.Contains(SeededFile, after.Keys.Select(Path.GetFileName));
    }
}
