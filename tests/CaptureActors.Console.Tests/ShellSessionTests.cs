using CaptureActors.Console.Shell;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

/// <summary>The shell's menus over a fake agent, fed from a text reader: what they send, and who owns a capture.</summary>
public sealed class ShellSessionTests : CapturectlTest
{
    [Fact]
    public async Task Starts_from_the_shell_share_one_connection_and_one_session_that_ends_with_the_shell()
    {
        // Status is asked by STATUS, then by the end of the shell before and after it stops its session.
        var statuses = 0;
        Respond(m => m switch
        {
            StartCapture => new CaptureStarted(Statuses.Running()),
            GetCaptureStatus => Interlocked.Increment(ref statuses) <= 2 ? Statuses.Running() : Statuses.Stopped(StopReason.OwnerLost),
            _ => null,
        });

        var (output, _) = await RunShell("packetcapture", "start", "banana", "status", "start", "", "exit");

        var starts = ReceivedOf<StartCapture>().ToList();
        Assert.Equal(2, starts.Count);
        Assert.All(starts, s => Assert.False(s.Detached));
        Assert.Equal("capturectl shell", starts[0].Owner.Client);
        Assert.NotNull(starts[0].OwnerSession);
        Assert.Equal(starts[0].OwnerSession, starts[1].OwnerSession);
        Assert.Equal(1, Connector.Connections);
        Assert.Empty(ReceivedOf<StopCapture>());
        Watch(starts[0].OwnerSession!);
        ExpectTerminated(starts[0].OwnerSession!);
        Assert.Contains("runs on node node1; it stops with STOP, at a limit, or when you leave the shell", output);
        Assert.Contains("Unknown choice 'banana': type one of START, STOP, STATUS, SETUP, FILES, DOWNLOAD, DELETE, or press Enter to go back.", output);
        Assert.Contains("leaving the shell: stopping capture cap-42 on node node1", output);
        Assert.Contains("capture cap-42 on node node1 stopped: owner-lost", output);
        Assert.EndsWith("bye" + Environment.NewLine, output);
    }

    [Fact]
    public async Task A_filter_answer_is_stored_through_setup_and_a_refused_one_repeats_the_question()
    {
        Respond(m => m switch
        {
            GetSetup => new SetupReport(Statuses.Node, CaptureSettings.Default),
            UpdateSetup { Options.Filter: "port banana" } => new CommandFailed(ErrorCode.InvalidFilter, "invalid filter 'port banana': unknown port 'banana'"),
            UpdateSetup update => new SetupReport(Statuses.Node, CaptureSettings.Default.With(update.Options)),
            _ => null,
        });

        var (output, errors) = await RunShell("diagnostic network tcpdump", "filter", "port banana", "udp port 53", "", "", "", "exit");

        Assert.Equal(["port banana", "udp port 53"], ReceivedOf<UpdateSetup>().Select(u => u.Options.Filter));
        Assert.Contains("capturectl: invalid filter 'port banana': unknown port 'banana'", errors);
        Assert.Equal(2, output.Split("Enter the filter").Length - 1);
        Assert.Contains("[none]> ", output);
        Assert.Empty(ReceivedOf<StartCapture>());
    }

    [Fact]
    public async Task Netstat_choices_are_numbered_like_the_appliance()
    {
        var (output, _) = await RunShell("netstat", "", "exit");

        Assert.Contains(
            string.Join(Environment.NewLine, "Choose the information you want to display:", "1. List of active sockets.", "2. State of network interfaces.", "3. Contents of routing tables.", "4. Size of the listen queues.", "5. Packet traffic information."),
            output);
    }

    [Fact]
    public async Task Netstat_choice_2_shows_the_drop_columns_only_when_asked_for()
    {
        var nic = new InterfaceStatistics("lo", 65536, "", [new InterfaceAddress("127.0.0.0/8", "127.0.0.1")], 10, 0, 7, 1000, 10, 0, 9, 1000, 0);
        Respond(m => m is ListNetstatInterfaces l ? new NetstatInterfacesReport(l.ProbeId, [nic]) : null);

        var (plain, _) = await RunShell("netstat", "2", "", "", "exit");
        var (withDrops, _) = await RunShell("netstat", "2", "y", "", "exit");

        Assert.Contains("Show the number of dropped packets?" + Environment.NewLine + "[N]> ", plain);
        Assert.Contains("Ipkts", plain);
        Assert.DoesNotContain("Idrop", plain);
        Assert.Matches(@"Idrop.*Drop", withDrops);
        Assert.Matches(@"lo\s*│\s*65536\s*│\s*<Link>\s*│\s*│\s*10\s*│\s*0\s*│\s*7\s*│", withDrops);
    }

    [Fact]
    public async Task Diagnostic_lists_the_appliance_operations_and_says_why_one_does_not_apply()
    {
        var (output, _) = await RunShell("diagnostic", "reporting", "", "exit");

        foreach (var operation in new[] { "RAID", "DISK_USAGE", "NETWORK", "REPORTING", "TRACKING", "RELOAD", "SERVICES" })
        {
            Assert.Contains($"- {operation} - ", output);
        }

        Assert.Contains("REPORTING: does not apply here: this node keeps no reporting database", output);
    }

    [Fact]
    public async Task Packetcapture_delete_asks_for_the_file_and_deletes_it_on_the_node()
    {
        Respond(m => m switch
        {
            ListFiles => new FileListing(Statuses.Node, [StartCommandTests.File("a.pcap", Statuses.CaptureId, 24, new string('0', 64), CaptureFileState.Finished)]),
            DeleteFiles => new FilesDeleted(["a.pcap"], []),
            _ => null,
        });

        var (output, _) = await RunShell("packetcapture", "delete", "a.pcap", "", "exit");

        Assert.Contains("Enter the file to delete (1 file(s); Tab completes):", output);
        Assert.Equal(["a.pcap"], Assert.Single(ReceivedOf<DeleteFiles>()).Names);
    }

    private async Task<(string Output, string Errors)> RunShell(params string[] lines)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var runtime = new CommandRuntime(AppIo.Plain(output, errors), new GlobalOptions(), Connector, TimeSpan.FromSeconds(5));
        var parse = CapturectlApp.BuildRoot(runtime).Parse(["shell", "--data-dir", "/data", "--node-name", Statuses.Node]);
        var input = new StringReader(string.Join("\n", lines) + "\n");
        var session = new ShellSession(runtime, new ShellConnector(Connector), new PlainLineReader(input, output), new ShellHistory(null), parse, CancellationToken.None);
        await session.RunAsync();
        return (output.ToString(), errors.ToString());
    }
}
