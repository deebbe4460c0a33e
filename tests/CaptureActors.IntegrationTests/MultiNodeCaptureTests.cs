using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// capturectl driving several real capture-agent processes over Akka.Remote on 127.0.0.1: coordinated start,
/// merge, owner loss, detached captures, a lost agent, an unknown node, concurrent starts from two consoles.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class MultiNodeCaptureTests : IDisposable
{
    private static readonly TimeSpan Bound = AgentCluster.Bound;
    private readonly AgentCluster _cluster = new("ca-multi-");

    public void Dispose() => _cluster.Dispose();

    [PrivilegedFact]
    public void A_coordinated_capture_on_three_agents_merges_every_packet_of_every_node_once_in_time_order()
    {
        Privilege.Require();
        using var lab1 = new NetworkNamespaceLab();
        using var lab2 = new NetworkNamespaceLab();
        using var lab3 = new NetworkNamespaceLab();
        var labs = new[] { lab1, lab2, lab3 };
        StartAgents(3);
        for (var i = 0; i < 3; i++)
        {
            var setup = Ctl("packetcapture", "setup", "--on", Node(i), "-i", labs[i].HostInterface);
            Assert.True(setup.ExitCode == 0, setup.StandardError);
        }

        const int port = 40404;
        using var console = StartCtl("packetcapture", "start", "--all", "-f", $"udp port {port}", "--duration", "6s");
        WaitForAll("running");
        var sent = new[] { 20, 35, 50 };
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(sent[i], labs[i].SendUdpToHost(port, sent[i], 100));
        }

        var result = console.WaitForExit(Bound);
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("start skew", result.StandardOutput);

        var downloads = Path.Combine(_cluster.RootPath, "downloads");
        var merged = Path.Combine(downloads, "all.pcapng");
        var download = Ctl("packetcapture", "download", "--all", "-o", downloads, "--merge", merged);
        Assert.True(download.ExitCode == 0, download.StandardOutput + download.StandardError);
        // Every agent process served its files over its download channel: no node fell back to chunks.
        Assert.DoesNotContain("Akka.Remote chunks", download.StandardError);

        var fields = ProcessRunner.Run("tshark", ["-r", merged, "-T", "fields", "-e", "frame.interface_name", "-e", "frame.time_epoch"], Bound).EnsureSuccess("tshark");
        var rows = fields.Lines.Select(l => l.Split('\t')).ToList();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(sent[i], rows.Count(r => r[0] == $"{Node(i)}:{labs[i].HostInterface}"));
        }

        Assert.Equal(sent.Sum(), rows.Count);
        var times = rows.Select(r => decimal.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);
        var interfaces = ProcessRunner.Run("capinfos", ["-I", merged], Bound).EnsureSuccess("capinfos").StandardOutput;
        Assert.Contains("Number of interfaces in file: 3", interfaces);
    }

    [PrivilegedFact]
    public void Killing_the_console_stops_its_attached_capture_on_every_agent_with_owner_lost_within_15_s()
    {
        Privilege.Require();
        StartAgents(2);
        using var console = StartCtl("packetcapture", "start", "--all", "-i", "lo");
        WaitForAll("running");

        console.Signal(9);
        var clock = Stopwatch.StartNew();
        var statuses = WaitForAll("stopped");

        Assert.All(statuses, s => Assert.Equal("owner-lost", s.GetProperty("status").GetProperty("stopReason").GetString()));
        Assert.True(clock.Elapsed <= TimeSpan.FromSeconds(15), $"owner loss took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [PrivilegedFact]
    public void A_detached_capture_survives_its_console_and_a_new_console_stops_it()
    {
        Privilege.Require();
        StartAgents(2);

        var start = Ctl("packetcapture", "start", "--all", "-i", "lo", "--detach");
        Assert.True(start.ExitCode == 0, start.StandardOutput + start.StandardError);
        Thread.Sleep(2000);
        var running = WaitForAll("running");
        Assert.Single(running.Select(s => s.GetProperty("status").GetProperty("captureId").GetString()).Distinct());

        var stop = Ctl("packetcapture", "stop", "--all");
        Assert.True(stop.ExitCode == 0, stop.StandardError);
        Assert.All(WaitForAll("stopped"), s => Assert.Equal("by-request", s.GetProperty("status").GetProperty("stopReason").GetString()));

        var files = JsonDocument.Parse(Ctl("packetcapture", "files", "--all", "--json").StandardOutput).RootElement.GetProperty("files");
        Assert.Equal([Node(0), Node(1)], files.EnumerateArray().Select(f => f.GetProperty("node").GetString()).Order());
        var first = files.EnumerateArray().First(f => f.GetProperty("node").GetString() == Node(0)).GetProperty("file").GetProperty("name").GetString()!;
        var delete = Ctl("packetcapture", "delete", "--all", first);
        Assert.True(delete.ExitCode == 0, delete.StandardError);
        Assert.Contains($"{Node(0)}: deleted {first}", delete.StandardOutput);
        var clear = Ctl("packetcapture", "clear", "--all");
        Assert.True(clear.ExitCode == 0, clear.StandardError);
        Assert.Empty(JsonDocument.Parse(Ctl("packetcapture", "files", "--all", "--json").StandardOutput).RootElement.GetProperty("files").EnumerateArray());
    }

    [PrivilegedFact]
    public void An_agent_killed_mid_capture_is_reported_lost_and_the_others_keep_capturing()
    {
        Privilege.Require();
        StartAgents(3);
        using var console = StartCtl("packetcapture", "start", "--all", "-i", "lo");
        WaitForAll("running");

        ProcessRunner.Run("kill", "-9", _cluster.Agents[1].ProcessId.ToString(CultureInfo.InvariantCulture)).EnsureSuccess("kill");
        var deadline = DateTime.UtcNow + Bound;
        while (!console.StandardOutput.Contains($"{Node(1)}: node '{Node(1)}' did not answer", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(200);
        }

        Assert.Contains($"{Node(1)}: node '{Node(1)}' did not answer", console.StandardOutput);
        foreach (var survivor in new[] { 0, 2 })
        {
            var status = JsonDocument.Parse(Ctl("packetcapture", "status", "--on", Node(survivor), "--json").StandardOutput).RootElement;
            Assert.Equal("running", status.GetProperty("state").GetString());
        }

        console.Signal(2);
        var result = console.WaitForExit(Bound);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void A_node_that_does_not_exist_is_named_within_a_bounded_time()
    {
        var clock = Stopwatch.StartNew();

        var result = ProcessRunner.Run(Capturectl.Executable, ["packetcapture", "status", "--node", "ghost=127.0.0.1:9"], Bound);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("node 'ghost' (127.0.0.1:9) is unreachable", result.StandardError);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [PrivilegedFact]
    public async Task Fifty_concurrent_starts_from_two_consoles_give_exactly_one_capture_per_node()
    {
        Privilege.Require();
        StartAgents(3);
        using var first = new RemoteAgentClient();
        using var second = new RemoteAgentClient();
        var owner = new CaptureOwner("itest", "host", 1, "test");

        var starts = new List<Task<(int Agent, object Reply)>>();
        for (var agent = 0; agent < 3; agent++)
        {
            foreach (var client in new[] { first, second })
            {
                var reference = await client.ResolveAgentAsync("127.0.0.1", _cluster.Agents[agent].Port);
                var index = agent;
                for (var i = 0; i < 25; i++)
                {
                    starts.Add(Task.Run(async () => (index, await reference.Ask<object>(new StartCapture(new CaptureOptions(Interfaces: ["lo"]), owner, true), Bound))));
                }
            }
        }

        var replies = await Task.WhenAll(starts);

        for (var agent = 0; agent < 3; agent++)
        {
            var mine = replies.Where(r => r.Agent == agent).Select(r => r.Reply).ToList();
            Assert.Equal(50, mine.Count);
            Assert.Single(mine.OfType<CaptureStarted>());
            Assert.Equal(49, mine.OfType<CaptureRejected>().Count(r => r.Code == ErrorCode.AlreadyRunning));
        }

        Assert.Equal(0, Ctl("packetcapture", "stop", "--all").ExitCode);
    }

    private static string Node(int index) => AgentCluster.Node(index);

    private void StartAgents(int count) => _cluster.Start(count);

    private ProcessResult Ctl(params string[] arguments) => _cluster.Ctl(arguments);

    private RunningCommand StartCtl(params string[] arguments) => _cluster.StartCtl(arguments);

    /// <summary>Polls <c>status --all --json</c> until every node's capture is in <paramref name="state"/>.</summary>
    private IReadOnlyList<JsonElement> WaitForAll(string state)
    {
        var deadline = DateTime.UtcNow + Bound;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = Ctl("packetcapture", "status", "--all", "--json").StandardOutput;
            try
            {
                var nodes = JsonDocument.Parse(last).RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.Clone()).ToList();
                if (nodes.All(n => n.GetProperty("status").ValueKind == JsonValueKind.Object && n.GetProperty("status").GetProperty("state").GetString() == state))
                {
                    return nodes;
                }
            }
            catch (JsonException)
            {
                // Not a document yet (a node still starting): poll again.
            }

            Thread.Sleep(250);
        }

        throw new TimeoutException($"not every node reached '{state}' within {Bound}: {last}");
    }
}
