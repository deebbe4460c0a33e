using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CaptureActors.Pcap.Tests.Corruption;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.Pcap.Tests;

/// <summary>
/// The corruption test, in the style of <c>editcap -E</c>: thousands of damaged pcap and pcapng files, made from
/// captures, read by every reader we use on files. No exception but <see cref="PcapFormatException"/> (naming the
/// file), no hang, bounded time and allocation per file, readers agreeing, and a plain cut always tolerated as a
/// truncated tail with exactly the whole packets before it. The RNG seed is printed; set CAPTURE_CORRUPTION_SEED to
/// replay or explore another one.
/// </summary>
public sealed partial class PcapCorruptionTests(ITestOutputHelper output) : IDisposable
{
    private const int DefaultSeed = 20261124;
    private static readonly TimeSpan MaxPerFile = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxCampaign = TimeSpan.FromSeconds(120);

    private readonly TempDirectory _dir = new("ca-corrupt-");

    // Damaged files are written, read and deleted thousands of times: on tmpfs this takes 1.6 s for 2,000 files, on the
    // ext4 /tmp of a busy CI machine 32 s (file creation and truncation, not reading, dominate).
    private readonly string _work = CreateWorkDirectory();

    public void Dispose()
    {
        _dir.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: leaves a small directory behind.
        }
    }

    [Fact]
    public void Thousands_of_damaged_files_from_our_writers_and_other_layouts_are_refused_cleanly_or_read()
    {
        byte[] frame = Frames.Udp(60);
        List<(string Name, byte[] Bytes)> seeds =
        [
            ("ours-micro.pcap", Written(path => Frames.WriteFile(path, 40, payloadBytes: 200))),
            ("ours-tiny-snap.pcap", Written(path => Frames.WriteFile(path, 30, payloadBytes: 20, snapLength: 64))),
            ("ours.pcapng", Written(path =>
            {
                using PcapNgWriter w = PcapNgWriter.Create(path);
                w.AddInterface(PcapFormat.LinkTypeEthernet, 65535, "gw1:eth0");
                w.AddInterface(PcapFormat.LinkTypeEthernet, 128, "gw2:eth0");
                for (int i = 0; i < 30; i++)
                {
                    w.Write(i % 2, 1_700_000_000_000_000_000 + (i * 1_000_000L), Frames.Udp(i * 7), (i * 7) + 42);
                }
            })),
            ("built-big-endian.pcapng", new PcapNgBuilder(bigEndian: true).SectionHeader()
                .Interface(PcapFormat.LinkTypeEthernet, 0, "eth0", tsresol: 9, tsoffset: 5)
                .Unknown(4, 32).EnhancedPacket(0, 1_000_000_000, frame).SimplePacket(frame).ObsoletePacket(0, 2_000_000_000, frame)
                .SectionHeader().Interface(PcapFormat.LinkTypeEthernet, 96).EnhancedPacket(0, 3_000_000, frame).ToArray()),
            ("built-big-endian-nano.pcap", BigEndianNanosecondPcap(20)),
        ];

        RunCampaign(seeds, mutantsPerSeed: 1000);
    }

    [PrivilegedFact]
    public void Thousands_of_damaged_real_captures_from_tcpdump_and_editcap_are_refused_cleanly_or_read()
    {
        string real = CaptureLoopbackTraffic();
        string nano = _dir.File("real-nano.pcap");
        string ng = _dir.File("real.pcapng");
        string merged = _dir.File("real-merged.pcapng");
        ProcessRunner.Run("editcap", "-F", "nsecpcap", real, nano).EnsureSuccess("editcap -F nsecpcap");
        ProcessRunner.Run("editcap", "-F", "pcapng", real, ng).EnsureSuccess("editcap -F pcapng");
        PcapMerger.Merge([new MergeSource("n1", "lo", [real], TimeSpan.Zero), new MergeSource("n2", "lo", [nano], TimeSpan.FromSeconds(1))], merged);

        RunCampaign(mutantsPerSeed: 750, seeds: [("tcpdump.pcap", File.ReadAllBytes(real)), ("editcap-nsec.pcap", File.ReadAllBytes(nano)), ("editcap.pcapng", File.ReadAllBytes(ng)), ("merged.pcapng", File.ReadAllBytes(merged))]);
    }

    private void RunCampaign(List<(string Name, byte[] Bytes)> seeds, int mutantsPerSeed)
    {
        int seed = Environment.GetEnvironmentVariable("CAPTURE_CORRUPTION_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultSeed;
        output.WriteLine($"seed {seed} (CAPTURE_CORRUPTION_SEED={seed} replays it), {mutantsPerSeed} mutants per seed file");
        var random = new Random(seed);
        var mutator = new CaptureFileMutator(random);
        string current = "";
        var stats = new CampaignStats();
        var clock = Stopwatch.StartNew();
        Task campaign = Task.Factory.StartNew(() =>
        {
            foreach ((string name, byte[] bytes) in seeds)
            {
                CaptureFileLayout layout = CaptureFileLayout.Parse(bytes);
                string path = Path.Combine(_work, "damaged-" + name);
                string mergeOutput = Path.Combine(_work, "merged-output.pcapng");
                for (int i = 0; i < mutantsPerSeed; i++)
                {
                    Mutant mutant = mutator.Mutate(bytes, layout);
                    current = $"{name} mutant {i}: {mutant.Description}";
                    File.WriteAllBytes(path, mutant.Bytes);
                    DamagedFileVerdict verdict;
                    try
                    {
                        verdict = DamagedFileCheck.Run(path, mergeOutput);
                    }
                    catch (Exception e)
                    {
                        throw new InvalidOperationException($"seed {seed}, {current}: {e.GetType().Name}: {e.Message}", e);
                    }

                    Check(verdict, mutant, mutant.Bytes.Length, current);
                    stats.Add(verdict);
                }

                output.WriteLine($"{name}: {bytes.Length} bytes, {layout.Packets} packets");
            }
        }, TaskCreationOptions.LongRunning);

        if (!campaign.Wait(MaxCampaign))
        {
            Assert.Fail($"seed {seed}: no end after {MaxCampaign} (a reader hangs?), at {current}");
        }

        clock.Stop();
        output.WriteLine($"{stats.Files} damaged files in {clock.Elapsed.TotalSeconds:F1} s: {stats.Refused} refused with PcapFormatException, {stats.Read} read " +
            $"({stats.Truncated} as truncated tails); slowest {stats.MaxElapsed.TotalMilliseconds:F1} ms, most allocated {stats.MaxAllocated / 1024} KiB");
        foreach ((string kind, int count) in stats.ErrorKinds.OrderByDescending(k => k.Value).Take(25))
        {
            output.WriteLine($"  {count,5} x {kind}");
        }

        Assert.Equal(seeds.Count * mutantsPerSeed, stats.Files);
        Assert.True(stats.Refused > stats.Files / 4, $"only {stats.Refused} of {stats.Files} damaged files refused: the mutations do too little");
        Assert.True(stats.ErrorKinds.Count >= 10, $"only {stats.ErrorKinds.Count} kinds of error seen");
    }

    private static void Check(DamagedFileVerdict verdict, Mutant mutant, int length, string what)
    {
        Assert.True(verdict.Elapsed < MaxPerFile, $"{what}: took {verdict.Elapsed}");
        long allowed = (3 << 20) + (4L * length); // merge's 1 MiB output buffer, read buffers, per-packet copies
        Assert.True(verdict.AllocatedBytes < allowed, $"{what}: allocated {verdict.AllocatedBytes} bytes for a {length}-byte file (limit {allowed})");
        if (mutant.ExpectedAfterCut is { } expected)
        {
            Assert.True(verdict.Packets is not null && verdict.Merged, $"{what}: a cut file must be read and merged, not refused: {string.Join(" | ", verdict.Errors)}");
            Assert.Equal((long?)expected.Packets, verdict.Packets);
            Assert.True(expected.Truncated == verdict.Truncated, $"{what}: truncated tail {verdict.Truncated}, expected {expected.Truncated}");
        }
    }

    private static string CreateWorkDirectory()
    {
        string parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        return Directory.CreateDirectory(Path.Combine(parent, $"ca-corrupt-{Guid.NewGuid():N}")).FullName;
    }

    private byte[] Written(Action<string> write)
    {
        string path = _dir.File($"seed-{Guid.NewGuid():N}");
        write(path);
        return File.ReadAllBytes(path);
    }

    private static byte[] BigEndianNanosecondPcap(int packets)
    {
        using var ms = new MemoryStream();
        byte[] h = new byte[24];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(h, 0xa1b23c4d);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), 2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(6), 4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(16), 1500);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(20), 1);
        ms.Write(h);
        for (int i = 0; i < packets; i++)
        {
            byte[] frame = Frames.Udp(i * 13);
            byte[] r = new byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(r, 1_700_000_000 + (uint)i);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(4), 999_999_999 - (uint)i);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(8), (uint)frame.Length);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(12), (uint)frame.Length + 4);
            ms.Write(r);
            ms.Write(frame);
        }

        return ms.ToArray();
    }

    /// <summary>tcpdump on lo while the test sends UDP of several sizes to a loopback port: a real capture of about 100 packets.</summary>
    private string CaptureLoopbackTraffic()
    {
        Privilege.Require();
        using var sink = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)sink.Client.LocalEndPoint!).Port;
        string path = _dir.File("real.pcap");
        const int expected = 105;
        var start = new ProcessStartInfo("tcpdump") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-i", "lo", "-U", "-n", "-c", expected.ToString(CultureInfo.InvariantCulture), "-w", path, "udp", "and", "dst", "port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        using Process tcpdump = Process.Start(start)!;
        try
        {
            var listening = new TaskCompletionSource();
            tcpdump.ErrorDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("listening on", StringComparison.Ordinal) == true)
                {
                    listening.TrySetResult();
                }
            };
            tcpdump.BeginErrorReadLine();
            Assert.True(listening.Task.Wait(TimeSpan.FromSeconds(10)), "tcpdump did not start listening within 10 s");
            var target = new IPEndPoint(IPAddress.Loopback, port);
            UdpTraffic.Send(target, 40, 20);
            UdpTraffic.Send(target, 40, 600);
            UdpTraffic.Send(target, 20, 1400);
            UdpTraffic.Send(target, 5, 9000);
            Assert.True(tcpdump.WaitForExit(TimeSpan.FromSeconds(10)), $"tcpdump did not see {expected} packets within 10 s");
        }
        finally
        {
            if (!tcpdump.HasExited)
            {
                tcpdump.Kill();
                tcpdump.WaitForExit();
            }
        }

        Assert.Equal(expected, PcapFileReader.Summarize(path).Packets);
        return path;
    }

    private sealed partial class CampaignStats
    {
        public int Files { get; private set; }

        public int Refused { get; private set; }

        public int Read => Files - Refused;

        public int Truncated { get; private set; }

        public TimeSpan MaxElapsed { get; private set; }

        public long MaxAllocated { get; private set; }

        public Dictionary<string, int> ErrorKinds { get; } = [];

        public void Add(DamagedFileVerdict v)
        {
            Files++;
            Refused += v.Packets is null ? 1 : 0;
            Truncated += v.Truncated ? 1 : 0;
            MaxElapsed = v.Elapsed > MaxElapsed ? v.Elapsed : MaxElapsed;
            MaxAllocated = Math.Max(MaxAllocated, v.AllocatedBytes);
            foreach (string e in v.Errors)
            {
                string kind = Numbers().Replace(e[(e.IndexOf(": ", StringComparison.Ordinal) + 2)..], "N");
                ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + 1;
            }
        }

        [GeneratedRegex(@"0x[0-9a-f]+|\d+|\([^)]*\)")]
        private static partial Regex Numbers();
    }
}
