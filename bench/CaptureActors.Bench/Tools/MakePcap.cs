using System.Globalization;
using CaptureActors.Pcap;

namespace CaptureActors.Bench.Tools;

/// <summary>
/// <c>make-pcap PATH BYTES [FRAME]</c>: writes a valid pcap of about BYTES with FRAME-byte packets (default 1400), for
/// the download benchmark and the writer replay (1M packets of FRAME bytes: BYTES = 24 + 1M × (16 + FRAME)).
/// </summary>
public static class MakePcap
{
    public static int Run(string[] args)
    {
        if (args is not [var path, var sizeText, .. var rest] || rest.Length > 1)
        {
            Console.Error.WriteLine("usage: capture-bench make-pcap PATH BYTES [FRAME]");
            return 2;
        }

        var target = long.Parse(sizeText, CultureInfo.InvariantCulture);
        var packet = new byte[rest.Length == 1 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 1400];
        Random.Shared.NextBytes(packet);
        using var writer = PcapFileWriter.Create(path, 1, 65535);
        var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var i = 0; writer.Length + writer.RecordLength(packet.Length) <= target; i++)
        {
            writer.Write(seconds + (i / 100_000), i % 100_000 * 10, packet, packet.Length);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{writer.Packets} packets, {writer.Length} bytes, sha256 {writer.Sha256Hex}"));
        return 0;
    }
}
