using System.Security.Cryptography;

namespace CaptureActors.Pcap;

/// <summary>
/// Finishes a pcap file that a writer left open when its process died (kill -9, power loss): the file is cut after its
/// last whole record (a record cut short, or a header alone, goes), flushed to disk, and summarized with its SHA-256.
/// Records before the cut are kept byte for byte.
/// </summary>
public static class PcapFileRepair
{
    /// <summary>Cuts a truncated last record from <paramref name="path"/> (if any) and returns what the file now holds.</summary>
    /// <exception cref="PcapFormatException">The file has no valid pcap header or a record before the end is corrupt; it is left unchanged.</exception>
    /// <exception cref="IOException">The file cannot be read or shortened.</exception>
    public static PcapRepairResult Repair(string path)
    {
        PcapFileSummary summary = PcapFileReader.Summarize(path);
        long before = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            if (before > summary.FileBytes)
            {
                stream.SetLength(summary.FileBytes);
            }

            stream.Flush(flushToDisk: true);
        }

        string sha256;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        return new PcapRepairResult(summary with { TruncatedTail = false }, before - summary.FileBytes, sha256);
    }
}

/// <summary>A repaired file: what it holds now, how many bytes of a partial last record were cut, its SHA-256 (lower-case hex).</summary>
public sealed record PcapRepairResult(PcapFileSummary Summary, long BytesCut, string Sha256);
