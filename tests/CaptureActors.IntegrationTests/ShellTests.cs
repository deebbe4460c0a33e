using System.Net;
using System.Net.Sockets;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// <c>capturectl shell</c> driven in a real pseudo-terminal (tmux) against the embedded agent: the appliance's menus,
/// captures owned by the shell, completion and history.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class ShellTests : IDisposable
{
    private const string Node = "itest";
    private const string Prompt = Node + "> ";
    private const string MenuPrompt = "[]>";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(40);
    private readonly TempDirectory _data = new("ca-shell-");
    private readonly TempDirectory _home = new("ca-shell-home-");
    private readonly Capturectl _ctl;

    public ShellTests() => _ctl = new Capturectl(_data.Path, Node);

    private string HistoryFile => Path.Combine(_home.Path, ".local", "share", "capture-actors", "shell_history");

    public void Dispose()
    {
        _ctl.Run("packetcapture", "stop");
        _home.Dispose();
        _data.Dispose();
    }

    [PrivilegedFact]
    public void Diagnostic_network_tcpdump_refuses_a_bad_filter_then_captures_exactly_the_datagrams_sent()
    {
        Privilege.Require();
        var port = FreeUdpPort();
        using var shell = OpenShell();

        shell.Line("diagnostic");
        shell.Expect("- NETWORK - ");
        shell.Line("network");
        shell.Expect("- TCPDUMP - ");
        shell.Line("tcpdump");
        shell.Expect("- FILTER - ");

        shell.Line("FILTER");
        shell.Expect("Enter the filter");
        shell.Line("port banana");
        shell.Expect("invalid filter 'port banana': unknown port 'banana'");
        shell.Expect("Enter the filter");
        shell.Line($"udp port {port}");
        shell.Expect("- FILTER - ");

        shell.Line("interface");
        shell.Expect("Enter the interface(s)");
        shell.Line("lo");
        shell.Expect("- FILTER - ");

        shell.Line("start");
        shell.Expect($"runs on node {Node}");
        Assert.Equal("running", _ctl.Json("packetcapture", "status").GetProperty("state").GetString());
        Assert.Equal(200, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 200, 80, packetsPerSecond: 2000));
        Thread.Sleep(1500);

        shell.Expect("- FILTER - ");
        shell.Line("status");
        var status = shell.Expect($"{Node}_lo_");
        Assert.Contains("running", status);
        shell.Line("stop");
        shell.Expect("stopped: by-request");

        // Empty answers climb back to the prompt.
        shell.Line("");
        shell.Line("");
        shell.Line("");
        shell.ExpectLastLine(l => l == Prompt.TrimEnd());

        var file = Assert.Single(_ctl.Json("packetcapture", "files").GetProperty("files").EnumerateArray());
        var name = file.GetProperty("name").GetString()!;
        var read = Tcpdump.ReadPackets(Path.Combine(_ctl.CaptureDirectory, name));
        Assert.Equal(0, read.ExitCode);
        Assert.Equal(200, read.Count);
        Assert.All(read.Packets, p => Assert.Contains($".{port}: UDP", p));

        // DOWNLOAD completes the file name with Tab and copies it here.
        using var downloads = new TempDirectory("ca-shell-dl-");
        shell.Line("packetcapture");
        shell.Expect("- DOWNLOAD - ");
        shell.Line("download");
        shell.Expect("Enter the file to download");
        shell.ExpectLastLine(l => l == MenuPrompt);
        shell.Type($"{Node}_l");
        shell.Keys("Tab");
        shell.ExpectLastLine(l => l == $"{MenuPrompt} {name}");
        shell.Keys("Enter");
        shell.Expect("Enter the directory to copy it to:");
        shell.Line(downloads.Path);
        shell.Expect($"downloaded {name}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(_ctl.CaptureDirectory, name)), File.ReadAllBytes(downloads.File(name)));

        shell.Line("");
        shell.Line("exit");
        shell.Expect("bye");
    }

    [PrivilegedTheory]
    [InlineData("exit")]
    [InlineData("ctrl-d")]
    [InlineData("closed terminal")]
    public void Leaving_the_shell_stops_the_capture_it_started_with_reason_owner_lost(string how)
    {
        Privilege.Require();
        var port = FreeUdpPort();
        Assert.Equal(0, _ctl.Run("packetcapture", "setup", "-i", "lo", "-f", $"udp port {port}").ExitCode);
        using var shell = OpenShell();

        shell.Line("packetcapture start");
        shell.Expect($"runs on node {Node}");
        shell.ExpectLastLine(l => l == MenuPrompt);
        Assert.Equal("running", _ctl.Json("packetcapture", "status").GetProperty("state").GetString());

        switch (how)
        {
            case "exit":
                shell.Line("");
                shell.ExpectLastLine(l => l == Prompt.TrimEnd());
                shell.Line("exit");
                break;
            case "ctrl-d":
                shell.Keys("C-d");
                break;
            default:
                shell.Close();
                break;
        }

        if (how != "closed terminal")
        {
            var screen = shell.Expect("bye");
            Assert.Contains("leaving the shell: stopping capture", screen);
            Assert.Contains("stopped: owner-lost", screen);
        }

        var stopped = _ctl.WaitForState(StopTimeout, "stopped");
        Assert.Equal("owner-lost", stopped.GetProperty("stopReason").GetString());
    }

    [PrivilegedFact]
    public void Ping_runs_until_ctrl_c_and_traceroute_to_its_end_and_the_shell_goes_on()
    {
        Privilege.Require();
        using var shell = OpenShell();

        shell.Line("ping 127.0.0.1");
        shell.Expect("Press Ctrl-C to stop.");
        shell.Expect("icmp_seq=2 ");
        shell.Keys("C-c");
        var screen = shell.Expect("packets transmitted");
        shell.ExpectLastLine(l => l == Prompt.TrimEnd());
        Assert.Single(screen.Split('\n'), l => l.Trim() == "Press Ctrl-C to stop.");

        shell.Line("traceroute -n 127.0.0.1");
        shell.Expect(" 1  127.0.0.1 ");
        shell.ExpectLastLine(l => l == Prompt.TrimEnd());
    }

    [Fact]
    public void Netstat_choice_4_shows_this_tests_listener_with_its_backlog()
    {
        const int backlog = 23;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var shell = OpenShell();

        shell.Line("netstat");
        var menu = shell.Expect("5. Packet traffic information.");
        Assert.Contains("Choose the information you want to display:", menu);
        Assert.Contains("1. List of active sockets.", menu);
        Assert.Contains("4. Size of the listen queues.", menu);
        shell.Line("4");
        var screen = shell.Expect($"127.0.0.1:{port}");
        Assert.Matches($@"127\.0\.0\.1:{port}\s*│\s*0\s*│\s*0\s*│\s*{backlog}\s*│", screen);

        shell.Line("9");
        shell.Expect("Unknown choice '9': type one of 1 to 5, or press Enter to go back.");

        // Ctrl-C stops the running command, not the shell.
        shell.Line("5");
        shell.Expect("Press Ctrl-C to stop.");
        shell.Expect("sample 1 at");
        shell.Keys("C-c");
        shell.Expect("ended by cancelled");
        shell.ExpectLastLine(l => l == MenuPrompt);
        shell.Line("");
        shell.ExpectLastLine(l => l == Prompt.TrimEnd());
    }

    [PrivilegedFact]
    public void On_remote_nodes_the_shell_session_owns_the_captures_exit_and_a_closed_terminal_stop_them()
    {
        Privilege.Require();
        using var cluster = new AgentCluster("ca-shell-nodes-");
        cluster.Start(2);
        var port = FreeUdpPort();
        Assert.All(new[] { 0, 1 }, i => Assert.Equal(0, cluster.Ctl("packetcapture", "setup", "-i", "lo", "-f", $"udp port {port}", "--on", AgentCluster.Node(i)).ExitCode));

        // Both nodes: one coordinated capture owned by the shell; exit stops it on both.
        using (var both = OpenNodesShell(cluster))
        {
            both.ExpectLastLine(l => l == "[node1,node2]>");
            both.Line("packetcapture start");
            both.Expect("it stops with STOP, at a limit, or when you leave the shell");
            both.ExpectLastLine(l => l == MenuPrompt);
            Assert.All(new[] { 0, 1 }, i => Assert.Contains("\"state\": \"running\"", NodeStatus(cluster, i)));
            both.Line("");
            both.Line("exit");
            var screen = both.Expect("bye");
            Assert.Contains("on node node1 stopped: owner-lost", screen);
            Assert.Contains("on node node2 stopped: owner-lost", screen);
        }

        Assert.All(new[] { 0, 1 }, i => Assert.Contains("\"stopReason\": \"owner-lost\"", NodeStatus(cluster, i)));

        // One node chosen with use: a closed terminal stops its capture.
        using var shell = OpenNodesShell(cluster);
        shell.Line("use node2");
        shell.ExpectLastLine(l => l == "node2>");
        shell.Line("packetcapture start");
        shell.Expect("runs on node node2");
        shell.ExpectLastLine(l => l == MenuPrompt);
        var captureId = System.Text.Json.JsonDocument.Parse(NodeStatus(cluster, 1)).RootElement.GetProperty("captureId").GetString();
        Assert.Equal(50, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 50, 64, packetsPerSecond: 1000));

        shell.Close();

        var deadline = DateTime.UtcNow + StopTimeout;
        string status;
        do
        {
            Thread.Sleep(300);
            status = NodeStatus(cluster, 1);
        }
        while (!status.Contains("\"owner-lost\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.Contains($"\"captureId\": \"{captureId}\"", status);
        Assert.Contains("\"stopReason\": \"owner-lost\"", status);
        Assert.Contains("\"state\": \"stopped\"", status);
    }

    private static string NodeStatus(AgentCluster cluster, int index) =>
        cluster.Ctl("packetcapture", "status", "--json", "--on", AgentCluster.Node(index)).StandardOutput;

    private TmuxTerminal OpenNodesShell(AgentCluster cluster)
    {
        var shell = new TmuxTerminal(
            new Dictionary<string, string> { ["HOME"] = _home.Path, ["TERM"] = "xterm" },
            Capturectl.Executable,
            ["shell", .. cluster.NodeArguments]);
        try
        {
            shell.Expect("Type 'help' for the commands");
            return shell;
        }
        catch
        {
            shell.Dispose();
            throw;
        }
    }

    [Fact]
    public void Tab_completes_commands_and_menu_items_and_history_persists_across_sessions()
    {
        using (var first = OpenShell())
        {
            first.Type("diag");
            first.Keys("Tab");
            first.ExpectLastLine(l => l == Prompt + "diagnostic");
            first.Keys("Enter");
            first.Expect("- NETWORK - ");
            first.ExpectLastLine(l => l == MenuPrompt);
            first.Type("ne");
            first.Keys("Tab");
            first.ExpectLastLine(l => l == MenuPrompt + " NETWORK");
            first.Keys("Enter");
            first.Expect("- TCPDUMP - ");
            first.Keys("C-c");
            first.ExpectLastLine(l => l == Prompt.TrimEnd());
            first.Line("help");
            first.Expect("Commands (Tab completes");
            first.Line("exit");
            first.Expect("bye");
        }

        Assert.Equal(["diagnostic", "NETWORK", "help", "exit"], File.ReadAllLines(HistoryFile));

        using var second = OpenShell();
        second.Keys("Up");
        second.ExpectLastLine(l => l == Prompt + "exit");
        second.Keys("Up");
        second.ExpectLastLine(l => l == Prompt + "help");
        second.Keys("Enter");
        second.Expect("Commands (Tab completes");
    }

    private TmuxTerminal OpenShell()
    {
        var shell = new TmuxTerminal(
            new Dictionary<string, string> { ["HOME"] = _home.Path, ["TERM"] = "xterm", ["XDG_DATA_HOME"] = Path.Combine(_home.Path, ".local", "share") },
            Capturectl.Executable,
            "shell", "--data-dir", _data.Path, "--node-name", Node);
        try
        {
            shell.Expect("Type 'help' for the commands");
            shell.ExpectLastLine(l => l == Prompt.TrimEnd());
            return shell;
        }
        catch
        {
            shell.Dispose();
            throw;
        }
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
