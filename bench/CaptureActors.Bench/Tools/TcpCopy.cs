using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace CaptureActors.Bench.Tools;

/// <summary>
/// <c>tcp-copy FILE OUT [--sha256]</c>: the raw baseline — FILE read and sent over one TCP connection on 127.0.0.1,
/// received and written to OUT, in 64 KiB buffers; prints bytes, seconds and MB/s. With <c>--sha256</c> the receiver
/// also hashes what it writes, as a download that verifies must (the digest is printed last).
/// </summary>
public static class TcpCopy
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var path, var output, ..] || args.Length > 3 || (args.Length == 3 && args[2] != "--sha256"))
        {
            Console.Error.WriteLine("usage: capture-bench tcp-copy FILE OUT [--sha256]");
            return 2;
        }

        using var hash = args.Length == 3 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();
        var send = Task.Run(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            await source.CopyToAsync(client.GetStream(), 1 << 16);
        });
        using var accepted = await listener.AcceptTcpClientAsync();
        await using (var target = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            if (hash is null)
            {
                await accepted.GetStream().CopyToAsync(target, 1 << 16);
            }
            else
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await accepted.GetStream().ReadAsync(buffer)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read));
                    hash.AppendData(buffer, 0, read);
                }
            }
        }

        await send;
        var bytes = new FileInfo(output).Length;
        var seconds = clock.Elapsed.TotalSeconds;
        var digest = hash is null ? "" : " sha256 " + Convert.ToHexStringLower(hash.GetHashAndReset());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tcp-copy {bytes} bytes in {seconds:0.000} s = {bytes / seconds / 1e6:0.0} MB/s{digest}"));
        return 0;
    }
}
