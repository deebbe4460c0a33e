using System.Security.Cryptography;
using CaptureActors.Agent.Storage;
using CaptureActors.Pcap;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Tests;

/// <summary>
/// A finished capture made by a test: a valid pcap of about the asked size (1400-byte packets of random bytes) in a
/// node's capture directory, and a sidecar recording its SHA-256, as a finished capture leaves them.
/// (Also compiled into the console tests.)
/// </summary>
public sealed record FinishedCaptureFile(string Name, string Path, long Size, string Sha256)
{
    public static FinishedCaptureFile Write(string captureDirectory, string node, long bytes, string iface = "lo")
    {
        Directory.CreateDirectory(captureDirectory);
        var started = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(Random.Shared.Next(1_000_000));
        var name = CaptureFileNames.Pcap(node, iface, started, 1);
        var path = System.IO.Path.Combine(captureDirectory, name);
        var packet = new byte[1400];
        long packets;
        using (var writer = PcapFileWriter.Create(path, 1, 65535))
        {
            for (var i = 0; writer.Length < bytes; i++)
            {
                Random.Shared.NextBytes(packet.AsSpan(0, 64));
                writer.Write(started.ToUnixTimeSeconds() + (i / 1000), i % 1000 * 1000, packet, packet.Length);
            }

            packets = writer.Packets;
        }

        var content = File.ReadAllBytes(path);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var captureId = "t" + Guid.NewGuid().ToString("N")[..11];
        var sidecar = new CaptureSidecar(
            CaptureSidecar.CurrentFormatVersion, captureId, node, new CaptureOwner("tester", "test-host", 4242, "test"), true,
            CaptureSettings.Default with { Interfaces = [iface] }, started, started.AddSeconds(10), CaptureState.Stopped, StopReason.ByRequest, null,
            [new SidecarInterface(iface, StopReason.ByRequest, null, packets, packets, content.Length, packets, 0, 0,
                [new SidecarFile(name, content.Length, packets, started, started.AddSeconds(9), sha256)])]);
        AgentJson.WriteAtomically(System.IO.Path.Combine(captureDirectory, $"{node}_{CaptureFileNames.Timestamp(started)}_{captureId}{CaptureFileNames.SidecarExtension}"), sidecar);
        return new FinishedCaptureFile(name, path, content.Length, sha256);
    }
}
