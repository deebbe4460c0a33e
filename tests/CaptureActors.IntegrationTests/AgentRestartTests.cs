using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// kill -9 and restarts of a real <c>capture-agent</c> during real captures on <c>lo</c>: files stay valid up to their
/// last flush, a detached capture resumes in a new segment with its gap and restart count, an attached one is finished
/// with <c>agent-crash</c>, a cut last record is repaired, the setup survives. Each test counts the packets in the files
/// against what it sent.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class AgentRestartTests(ITestOutputHelper output) : IDisposable
{
    private const string Node = "dur1";
    private const int Rate = 1000;
    private static readonly TimeSpan PastLastFlush = TimeSpan.FromMilliseconds(1300);

    private readonly TempDirectory _data = new("ca-agent-restart-");

    private string Captures => Path.Combine(_data.Path, "captures");

    public void Dispose() => _data.Dispose();

    [PrivilegedFact]
    public void A_detached_capture_survives_kill_9_and_sigterm_resuming_in_new_segments_with_gaps_and_restarts()
    {
        Privilege.Require();
        var port = UdpTraffic.FreePort();
        var target = new IPEndPoint(IPAddress.Loopback, port);
        CaptureAgentProcess? agent = CaptureAgentProcess.Start(_data.Path, Node);
        try
        {
            var ctl = Ctl(agent);
            var started = ctl.Run("packetcapture", "start", "-i", "lo", "-f", $"udp port {port}", "--duration", "10m", "--detach");
            Assert.True(started.ExitCode == 0, started.StandardError);
            WaitFor(() => PcapFiles().Length == 1, TimeSpan.FromSeconds(15), "the first file", agent);

            // Traffic right up to the kill: what the last ≤ 1 s brought may be lost, nothing before it.
            const int beforeKill = 2000;
            Assert.Equal(beforeKill, UdpTraffic.Send(target, beforeKill, 60, Rate));
            var killedAt = DateTimeOffset.UtcNow;
            agent.Kill();
            agent.Dispose();
            agent = null;

            var first = Assert.Single(PcapFiles());
            var inFirst = Tcpdump.ReadPackets(first);
            output.WriteLine($"after kill -9: {inFirst.Count} of {beforeKill} packets in {Path.GetFileName(first)} ({inFirst.StandardError.Trim()})");
            Assert.True(inFirst.Count >= beforeKill - Rate, $"only {inFirst.Count} of {beforeKill} packets in the file: more than the last second lost");
            Assert.True(inFirst.Count <= beforeKill);

            var clock = Stopwatch.StartNew();
            agent = CaptureAgentProcess.Start(_data.Path, Node);
            var resumed = WaitForSidecar(s => s.GetProperty("state").GetString() == "running" && s.GetProperty("restarts").GetInt32() == 1, TimeSpan.FromSeconds(10), agent);
            WaitFor(() => PcapFiles().Length == 2, TimeSpan.FromSeconds(10), "the resumed segment", agent);
            clock.Stop();
            output.WriteLine($"resumed {clock.Elapsed.TotalSeconds:F2} s after the agent process was started (startup line after {agent.StartupTime.TotalSeconds:F2} s)");
            Assert.True(clock.Elapsed <= TimeSpan.FromSeconds(5), $"resumed only after {clock.Elapsed}");

            // The repaired first segment is listed as finished with what is really in it.
            var listed = FileEntries(Ctl(agent));
            var firstEntry = listed.Single(f => f.GetProperty("name").GetString() == Path.GetFileName(first));
            Assert.Equal("finished", firstEntry.GetProperty("state").GetString());
            Assert.Equal(Tcpdump.ReadPackets(first).Count, firstEntry.GetProperty("packets").GetInt64());
            Assert.Equal(Sha256(first), firstEntry.GetProperty("sha256").GetString());

            const int afterResume = 700;
            Assert.Equal(afterResume, UdpTraffic.Send(target, afterResume, 60, 3000));
            Thread.Sleep(PastLastFlush);
            var status = Ctl(agent).Json("packetcapture", "status");
            Assert.Equal("running", status.GetProperty("state").GetString());
            Assert.Equal(1, status.GetProperty("restarts").GetInt32());
            var gap = Assert.Single(status.GetProperty("interfaces")[0].GetProperty("gaps").EnumerateArray());
            Assert.Equal("agent-restart", gap.GetProperty("reason").GetString());
            var from = gap.GetProperty("from").GetDateTimeOffset();
            var to = gap.GetProperty("to").GetDateTimeOffset();
            Assert.InRange(from, killedAt - TimeSpan.FromSeconds(2), killedAt + TimeSpan.FromSeconds(1));
            Assert.True(to > from && to > killedAt, $"gap {from:O} .. {to:O}, killed at {killedAt:O}");
            Assert.Equal(inFirst.Count + afterResume, status.GetProperty("interfaces")[0].GetProperty("packetsWritten").GetInt64());

            // A clean stop (SIGTERM, as at an upgrade) resumes too: a third segment, two gaps, two restarts.
            Assert.Equal(0, agent.Terminate(TimeSpan.FromSeconds(30)).ExitCode);
            agent.Dispose();
            agent = null;
            Assert.Equal("agent-shutdown", ReadSidecar().GetProperty("stopReason").GetString());
            agent = CaptureAgentProcess.Start(_data.Path, Node);
            WaitForSidecar(s => s.GetProperty("state").GetString() == "running" && s.GetProperty("restarts").GetInt32() == 2, TimeSpan.FromSeconds(10), agent);
            WaitFor(() => PcapFiles().Length == 3, TimeSpan.FromSeconds(10), "the segment after SIGTERM", agent);

            var stop = Ctl(agent).Run("packetcapture", "stop");
            Assert.True(stop.ExitCode == 0, stop.StandardError);
            var sidecar = ReadSidecar();
            Assert.Equal("by-request", sidecar.GetProperty("stopReason").GetString());
            Assert.Equal(2, sidecar.GetProperty("restarts").GetInt32());
            Assert.Equal(["agent-restart", "agent-restart"], sidecar.GetProperty("gaps").EnumerateArray().Select(g => g.GetProperty("reason").GetString()));
            var files = sidecar.GetProperty("interfaces")[0].GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
            Assert.Equal(PcapFiles().Select(Path.GetFileName), files);
            var second = PcapFiles()[1];
            Assert.Equal(afterResume, Tcpdump.ReadPackets(second).Count);
            Assert.False(File.Exists(Path.Combine(_data.Path, "capture-intent.json")), "a stopped capture keeps no intent");

            // Stopped is final: the next agent start resumes nothing.
            Assert.Equal(0, agent.Terminate(TimeSpan.FromSeconds(30)).ExitCode);
            agent.Dispose();
            agent = CaptureAgentProcess.Start(_data.Path, Node);
            Assert.Equal("stopped", Ctl(agent).Json("packetcapture", "status").GetProperty("state").GetString());
            Assert.Equal(3, PcapFiles().Length);
        }
        finally
        {
            agent?.Dispose();
        }
    }

    [PrivilegedFact]
    public void An_attached_capture_is_finished_with_agent_crash_after_kill_9_and_its_cut_last_record_is_repaired()
    {
        Privilege.Require();
        var port = UdpTraffic.FreePort();
        CaptureAgentProcess? agent = CaptureAgentProcess.Start(_data.Path, Node);
        try
        {
            using (var console = Ctl(agent).Start("packetcapture", "start", "-i", "lo", "-f", $"udp port {port}"))
            {
                WaitFor(() => PcapFiles().Length == 1, TimeSpan.FromSeconds(15), "the first file", agent);
                const int sent = 400;
                Assert.Equal(sent, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), sent, 100, 2000));
                Thread.Sleep(PastLastFlush);
                agent.Kill();
                agent.Dispose();
                agent = null;

                var file = Assert.Single(PcapFiles());
                Assert.Equal(sent, Tcpdump.ReadPackets(file).Count);

                // A crash in the middle of a write: the last record is cut short.
                var whole = new FileInfo(file).Length;
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
                {
                    stream.SetLength(whole - 50);
                }

                agent = CaptureAgentProcess.Start(_data.Path, Node);
                var sidecar = WaitForSidecar(s => s.GetProperty("state").GetString() == "stopped", TimeSpan.FromSeconds(10), agent);
                Assert.Equal("agent-crash", sidecar.GetProperty("stopReason").GetString());
                var recorded = Assert.Single(sidecar.GetProperty("interfaces")[0].GetProperty("files").EnumerateArray());
                Assert.Equal(sent - 1, recorded.GetProperty("packets").GetInt64());
                Assert.Equal(sent - 1, sidecar.GetProperty("interfaces")[0].GetProperty("packetsWritten").GetInt64());
                Assert.Equal(whole - 100 - 42 - 16, new FileInfo(file).Length); // the 100-byte datagram's record is gone whole
                var read = Tcpdump.ReadPackets(file);
                Assert.True(read.ExitCode == 0, read.StandardError);
                Assert.Equal(sent - 1, read.Count);
                Assert.Equal(Sha256(file), recorded.GetProperty("sha256").GetString());

                var ctl = Ctl(agent);
                var status = ctl.Json("packetcapture", "status");
                Assert.Equal("stopped", status.GetProperty("state").GetString());
                Assert.Equal("agent-crash", status.GetProperty("stopReason").GetString());
                var entry = Assert.Single(FileEntries(ctl));
                Assert.Equal("finished", entry.GetProperty("state").GetString());
                Assert.Equal(sent - 1, entry.GetProperty("packets").GetInt64());
                Assert.False(File.Exists(Path.Combine(_data.Path, "active-capture.json")));
                Assert.False(File.Exists(Path.Combine(_data.Path, "capture-intent.json")));
            }
        }
        finally
        {
            agent?.Dispose();
        }
    }

    [PrivilegedFact]
    public void The_setup_survives_kill_9()
    {
        Privilege.Require();
        CaptureAgentProcess? agent = CaptureAgentProcess.Start(_data.Path, Node);
        try
        {
            var set = Ctl(agent).Run("packetcapture", "setup", "-i", "lo", "-f", "udp port 5353", "--max-size", "8MB", "--ring", "4");
            Assert.True(set.ExitCode == 0, set.StandardError);
            agent.Kill();
            agent.Dispose();
            agent = CaptureAgentProcess.Start(_data.Path, Node);

            var settings = Ctl(agent).Json("packetcapture", "setup").GetProperty("settings");
            Assert.Equal("udp port 5353", settings.GetProperty("filter").GetString());
            Assert.Equal(8L << 20, settings.GetProperty("maxFileSizeBytes").GetInt64());
            Assert.Equal(4, settings.GetProperty("ringFiles").GetInt32());
            Assert.Equal(["lo"], settings.GetProperty("interfaces").EnumerateArray().Select(i => i.GetString()));
        }
        finally
        {
            agent?.Dispose();
        }
    }

    private static RemoteCtl Ctl(CaptureAgentProcess agent) => new($"{Node}=127.0.0.1:{agent.Port}");

    private string[] PcapFiles() =>
        Directory.Exists(Captures) ? [.. Directory.GetFiles(Captures, $"{Node}_lo_*.pcap").Order(StringComparer.Ordinal)] : [];

    private JsonElement ReadSidecar() =>
        JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Captures, "*.capture.json")))).RootElement.Clone();

    private static IReadOnlyList<JsonElement> FileEntries(RemoteCtl ctl)
    {
        var listing = ctl.Json("packetcapture", "files");
        var files = listing.ValueKind == JsonValueKind.Array ? listing : listing.GetProperty("files");
        return [.. files.EnumerateArray().Select(f => f.TryGetProperty("file", out var inner) ? inner : f)];
    }

    private JsonElement WaitForSidecar(Func<JsonElement, bool> condition, TimeSpan timeout, CaptureAgentProcess agent)
    {
        JsonElement? found = null;
        WaitFor(() =>
        {
            try
            {
                var sidecar = ReadSidecar();
                found = sidecar;
                return condition(sidecar);
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                return false; // replaced while read (atomic rename): read again
            }
        }, timeout, "the sidecar's expected state", agent);
        return found!.Value;
    }

    private static void WaitFor(Func<bool> condition, TimeSpan timeout, string what, CaptureAgentProcess agent)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return;
            }

            Thread.Sleep(25);
        }

        throw new TimeoutException($"no {what} within {timeout}; agent's log:\n{agent.StandardError}");
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));


    /// <summary>capturectl against the agent process over Akka.Remote (<c>--node NAME=127.0.0.1:PORT</c>).</summary>
    private sealed class RemoteCtl(string node)
    {
        public ProcessResult Run(params string[] arguments) =>
            ProcessRunner.Run(Capturectl.Executable, [.. arguments, "--node", node], Capturectl.CommandTimeout);

        public RunningCommand Start(params string[] arguments) => new(Capturectl.Executable, [.. arguments, "--node", node]);

        public JsonElement Json(params string[] arguments)
        {
            var result = Run([.. arguments, "--json"]);
            try
            {
                return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"capturectl {string.Join(' ', arguments)} printed no JSON (exit {result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}", e);
            }
        }
    }
}
