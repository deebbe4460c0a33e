using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using CaptureActors.Pcap;

namespace CaptureActors.Bench.Tools;

/// <summary>
/// <c>replay IN OUT</c>: the agent's writer alone. Reads IN (a little-endian microsecond pcap, as make-pcap writes it)
/// in 4 MiB blocks and appends every record to a <see cref="PcapFileWriter"/> on OUT exactly as the capture loop does
/// (same buffer size, SHA-256 included); prints packets, seconds and the bytes the writing thread allocated.
/// The baseline is <c>tcpdump -r IN -w OUT</c>.
/// </summary>
public static class Replay
{
    public static int Run(string[] args)
    {
        if (args is not [var input, var output])
        {
            Console.Error.WriteLine("usage: capture-bench replay IN OUT");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var gen0Before = GC.CollectionCount(0);
        using var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var block = new byte[4 << 20];
        var filled = ReadAtLeast(source, block, 0, PcapFormat.FileHeaderLength);
        if (filled < PcapFormat.FileHeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(block) != PcapFormat.MicrosecondMagic)
        {
            Console.Error.WriteLine($"{input}: not a little-endian microsecond pcap");
            return 1;
        }

        var snap = BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(16));
        var linkType = BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(20));
        long packets = 0;
        using (var writer = PcapFileWriter.Create(output, linkType, snap))
        {
            var at = PcapFormat.FileHeaderLength;
            while (true)
            {
                if (filled - at < PcapFormat.RecordHeaderLength || filled - at < PcapFormat.RecordHeaderLength + CapturedLength(block, at))
                {
                    // Move the partial record to the front and read more.
                    Buffer.BlockCopy(block, at, block, 0, filled - at);
                    filled -= at;
                    at = 0;
                    var read = ReadAtLeast(source, block, filled, block.Length - filled);
                    if (read == 0)
                    {
                        break;
                    }

                    filled += read;
                    continue;
                }

                ReadOnlySpan<byte> header = block.AsSpan(at, PcapFormat.RecordHeaderLength);
                var captured = CapturedLength(block, at);
                writer.Write(
                    BinaryPrimitives.ReadUInt32LittleEndian(header),
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
                    block.AsSpan(at + PcapFormat.RecordHeaderLength, captured),
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(header[12..]));
                at += PcapFormat.RecordHeaderLength + captured;
                packets++;
            }

            writer.Flush();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replayed {packets} packets in {clock.Elapsed.TotalSeconds:0.000} s; thread allocated {allocated} bytes, gen0 collections {GC.CollectionCount(0) - gen0Before}"));
        return 0;
    }

    private static int CapturedLength(byte[] block, int at) => (int)BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(at + 8));

    private static int ReadAtLeast(Stream source, byte[] block, int offset, int count)
    {
        var total = 0;
        while (total < count)
        {
            var read = source.Read(block, offset + total, count - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
