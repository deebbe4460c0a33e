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
        Assert.Contains("Unknown choice 'banana': type one of START, STOP, STATUS, SETUP, FILES, DOWNLOAD, or press Enter to go back.", output);
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
            string.Join(Environment.NewLine, "Choose the operation you want to perform:", "1. List of active sockets.", "2. State of network interfaces.", "3. Contents of routing tables.", "4. Size of the listen queues.", "5. Packet traffic information."),
            output);
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
