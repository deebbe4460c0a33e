using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CaptureActors.Pcap;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.Capture.Tests;

/// <summary>
/// Not a test: a measurement of how many packets of a burst on lo our capture keeps, against tcpdump -w with the same
/// filter, snap length and buffer. Runs only with CAPTURE_MEASURE=1 (and root); prints numbers, asserts nothing timed.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class BurstMeasurement(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public sealed class MeasureFactAttribute : FactAttribute
    {
        public MeasureFactAttribute()
        {
            if (Environment.GetEnvironmentVariable("CAPTURE_MEASURE") != "1" || !Privilege.IsRoot)
            {
                Skip = "measurement: set CAPTURE_MEASURE=1 and run as root";
            }
        }
    }

    [MeasureFact]
    public async Task Burst_on_loopback_ours_and_tcpdump()
    {
        foreach (int senders in new[] { 1, 2 })
        {
            foreach (int payload in new[] { 64, 1000 })
            {
                for (int round = 0; round < 2; round++)
                {
                    await MeasureOurs(payload, 200_000, senders);
                    MeasureTcpdump(payload, 200_000, senders);
                }
            }
        }
    }

    private async Task MeasureOurs(int payload, int count, int senders)
    {
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        var engine = new LibPcapCaptureEngine();
        using IInterfaceCapture capture = engine.Start(new InterfaceCaptureRequest(
            "lo", $"udp port {port}", 262144, false, n => _dir.File($"ours_{payload}_{n}.pcap")));
        var clock = Stopwatch.StartNew();
        Send(port, count, payload, senders);
        double sendSeconds = clock.Elapsed.TotalSeconds;
        await LiveCapture.WaitUntil(() => capture.ReadCounters().PacketsWritten >= count * senders, TimeSpan.FromSeconds(3));
        capture.Stop();
        InterfaceCaptureResult r = await capture.Completion;
        long inFile = PcapFileReader.Summarize(r.Segments[0].Path).Packets;
        output.WriteLine($"ours    {payload,5} B x{senders}: sent {count * senders} in {sendSeconds:F2} s ({count * senders / sendSeconds:F0}/s); in file {inFile}; " +
            $"ps_recv {r.Counters.KernelReceived} ps_drop {r.Counters.KernelDropped} (lo doubles both)");
    }

    private static void Send(int port, int count, int payload, int senders) =>
        Parallel.For(0, senders, new ParallelOptions { MaxDegreeOfParallelism = senders },
            _ => UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), count, payload));

    private void MeasureTcpdump(int payload, int count, int senders)
    {
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        string file = _dir.File($"tcpdump_{payload}.pcap");
        var info = new ProcessStartInfo("tcpdump") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-i", "lo", "-s", "262144", "-B", "32768", "-w", file, "-U", $"udp port {port}" })
        {
            info.ArgumentList.Add(a);
        }

        using Process tcpdump = Process.Start(info)!;
        var stderr = new System.Text.StringBuilder();
        var listening = new ManualResetEventSlim();
        tcpdump.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            if (e.Data.Contains("listening on", StringComparison.Ordinal))
            {
                listening.Set();
            }
        };
        tcpdump.BeginErrorReadLine();
        Assert.True(listening.Wait(TimeSpan.FromSeconds(5)));
        var clock = Stopwatch.StartNew();
        Send(port, count, payload, senders);
        double sendSeconds = clock.Elapsed.TotalSeconds;
        Thread.Sleep(1500);
        ProcessRunner.Run("kill", "-INT", tcpdump.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(tcpdump.WaitForExit(10_000));
        tcpdump.WaitForExit();
        long inFile = PcapFileReader.Summarize(file).Packets;
        string stats;
        lock (stderr)
        {
            stats = string.Join("; ", stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1));
        }

        output.WriteLine($"tcpdump {payload,5} B x{senders}: sent {count * senders} in {sendSeconds:F2} s ({count * senders / sendSeconds:F0}/s); in file {inFile}; {stats}");
    }
}
