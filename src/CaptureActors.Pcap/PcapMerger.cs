namespace CaptureActors.Pcap;

/// <summary>
/// Merges classic pcap captures from many nodes into one pcapng file: one interface per (node, interface), named
/// <c>node:iface</c>; every timestamp corrected by its node's clock offset (<c>t - offset</c>), in nanoseconds.
/// A k-way merge over streaming readers (a priority queue holding one record per source): memory does not grow
/// with the files. Output is in non-decreasing corrected time provided each source's records are (as captures are,
/// like <c>mergecap</c> assumes); equal timestamps keep the sources' order. Rotated segments of one source are read
/// in the order given.
/// </summary>
public static class PcapMerger
{
    /// <summary>Merges <paramref name="sources"/> into <paramref name="outputPath"/> (created or replaced).</summary>
    /// <exception cref="ArgumentException">No sources, a source without a name, one listed twice, or the output is also an input.</exception>
    /// <exception cref="PcapFormatException">An input is not pcap or holds a corrupt record; the message names the file. No output is left.</exception>
    /// <exception cref="PcapWriteException">The output could not be written. No output is left.</exception>
    public static MergeResult Merge(IReadOnlyList<MergeSource> sources, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        Validate(sources, outputPath);

        var readers = new List<MergeSourceReader>(sources.Count);
        PcapNgWriter? writer = null;
        try
        {
            for (int i = 0; i < sources.Count; i++)
            {
                readers.Add(new MergeSourceReader(sources[i], i));
            }

            writer = PcapNgWriter.Create(outputPath);
            foreach (MergeSourceReader r in readers)
            {
                writer.AddInterface(r.LinkType, r.SnapLength, sources[r.Index].InterfaceName);
            }

            var queue = new PriorityQueue<MergeSourceReader, (long Timestamp, int Source)>(readers.Count);
            foreach (MergeSourceReader r in readers)
            {
                if (r.MoveNext())
                {
                    queue.Enqueue(r, (r.Timestamp, r.Index));
                }
            }

            long first = long.MaxValue;
            long last = long.MinValue;
            while (queue.TryDequeue(out MergeSourceReader? r, out _))
            {
                writer.Write(r.Index, r.Timestamp, r.Data, r.OriginalLength);
                first = Math.Min(first, r.Timestamp);
                last = Math.Max(last, r.Timestamp);
                if (r.MoveNext())
                {
                    queue.Enqueue(r, (r.Timestamp, r.Index));
                }
            }

            writer.Flush();
            long total = writer.Packets;
            writer.Dispose();
            writer = null;
            return new MergeResult(
                outputPath,
                readers.Select(r => r.Packets).ToArray(),
                total,
                total > 0 ? first : null,
                total > 0 ? last : null,
                readers.SelectMany(r => r.TruncatedFiles).ToArray());
        }
        catch
        {
            if (writer is not null)
            {
                writer.Dispose();
                TryDelete(outputPath);
            }

            throw;
        }
        finally
        {
            foreach (MergeSourceReader r in readers)
            {
                r.Dispose();
            }
        }
    }

    private static void Validate(IReadOnlyList<MergeSource> sources, string outputPath)
    {
        if (sources.Count == 0)
        {
            throw new ArgumentException("nothing to merge: no sources", nameof(sources));
        }

        string output = Path.GetFullPath(outputPath);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (MergeSource s in sources)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(sources));
            if (string.IsNullOrEmpty(s.Node) || string.IsNullOrEmpty(s.Interface) || s.Files is null)
            {
                throw new ArgumentException($"source '{s.InterfaceName}' needs a node, an interface and a list of files", nameof(sources));
            }

            if (!names.Add(s.InterfaceName))
            {
                throw new ArgumentException($"{s.InterfaceName} is listed twice: give all its segments in one source", nameof(sources));
            }

            foreach (string file in s.Files)
            {
                if (string.Equals(Path.GetFullPath(file), output, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"the output {outputPath} is also an input of {s.InterfaceName}", nameof(outputPath));
                }
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the merge already failed with its own error.
        }
    }
}
