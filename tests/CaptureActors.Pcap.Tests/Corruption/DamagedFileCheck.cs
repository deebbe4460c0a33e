using System.Diagnostics;

namespace CaptureActors.Pcap.Tests.Corruption;

/// <summary>What all our readers made of one damaged file.</summary>
/// <param name="Errors">The <see cref="PcapFormatException"/> messages, one per reader that refused the file.</param>
/// <param name="Packets">Packets the tolerant reader of the file's format read (null when it refused the file).</param>
/// <param name="Merged">The merge took the file.</param>
internal sealed record DamagedFileVerdict(IReadOnlyList<string> Errors, long? Packets, bool Truncated, bool Merged, long AllocatedBytes, TimeSpan Elapsed);

/// <summary>
/// Reads one file with every reader the agent and console use on files: <see cref="PcapFileReader.Summarize"/>, a full
/// <see cref="PcapFileReader"/> read, a full <see cref="PcapNgReader"/> read and <see cref="PcapMerger.Merge"/>.
/// Each may refuse the file only with a <see cref="PcapFormatException"/> that names it; any other exception escapes
/// (the caller adds the mutation to it). Readers that accept the file must agree on its packets, and a refused merge
/// must leave no output.
/// </summary>
internal static class DamagedFileCheck
{
    public static DamagedFileVerdict Run(string path, string mergeOutput)
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        List<string> errors = [];
        bool pcapNg = PcapNgReader.LooksLikePcapNg(path);

        (long Packets, bool Truncated)? summary = Refusable(path, errors, () =>
        {
            PcapFileSummary s = PcapFileReader.Summarize(path);
            return (s.Packets, s.TruncatedTail);
        });
        (long Packets, bool Truncated)? pcapRead = Refusable(path, errors, () =>
        {
            using PcapFileReader reader = PcapFileReader.Open(path);
            long n = 0;
            foreach (PcapPacket p in reader.ReadPackets())
            {
                n += p.Data.Length >= 0 ? 1 : 0;
            }

            return (n, reader.TruncatedTail);
        });
        (long Packets, bool Truncated)? ngRead = Refusable(path, errors, () =>
        {
            using PcapNgReader reader = PcapNgReader.Open(path);
            long n = 0;
            while (reader.ReadNext() is not null)
            {
                n++;
            }

            return (n, reader.TruncatedTail);
        });
        (long Packets, bool Truncated)? merged = Refusable(path, errors, () =>
        {
            MergeResult result = PcapMerger.Merge([new MergeSource("n", "e", [path], TimeSpan.Zero)], mergeOutput);
            return (result.TotalPackets, result.TruncatedFiles.Count > 0);
        });

        if (merged is null && File.Exists(mergeOutput))
        {
            throw new InvalidOperationException($"a refused merge left its output {mergeOutput} behind");
        }

        File.Delete(mergeOutput);
        if (summary != pcapRead)
        {
            throw new InvalidOperationException($"summary {Show(summary)} and full read {Show(pcapRead)} disagree");
        }

        (long Packets, bool Truncated)? read = pcapNg ? ngRead : pcapRead;
        if (merged is not null && merged != read)
        {
            throw new InvalidOperationException($"merge {Show(merged)} and full read {Show(read)} disagree");
        }

        if (pcapNg ? pcapRead is not null : ngRead is not null)
        {
            throw new InvalidOperationException($"the reader of the other format accepted the file ({(pcapNg ? "pcapng" : "pcap")})");
        }

        clock.Stop();
        return new DamagedFileVerdict(errors, read?.Packets, read?.Truncated ?? false, merged is not null, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, clock.Elapsed);
    }

    private static T? Refusable<T>(string path, List<string> errors, Func<T> read)
        where T : struct
    {
        try
        {
            return read();
        }
        catch (PcapFormatException e)
        {
            if (!e.Message.StartsWith(path + ": ", StringComparison.Ordinal) || e.Message.Length > path.Length + 400)
            {
                throw new InvalidOperationException($"unclear error (must start with the file name, say what is wrong, briefly): {e.Message}", e);
            }

            errors.Add(e.Message);
            return null;
        }
    }

    private static string Show((long Packets, bool Truncated)? r) =>
        r is { } v ? $"({v.Packets} packets{(v.Truncated ? ", truncated" : "")})" : "(refused)";
}
