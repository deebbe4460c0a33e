using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CaptureActors.Bench.Tools;

/// <summary>
/// <c>tcp-copy FILE OUT</c>: the raw baseline — FILE read and sent over one TCP connection on 127.0.0.1, received and
/// written to OUT, in 64 KiB buffers; prints bytes, seconds and MB/s.
/// </summary>
public static class TcpCopy
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var path, var output])
        {
            Console.Error.WriteLine("usage: capture-bench tcp-copy FILE OUT");
            return 2;
        }

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
            await accepted.GetStream().CopyToAsync(target, 1 << 16);
        }

        await send;
        var bytes = new FileInfo(output).Length;
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tcp-copy {bytes} bytes in {seconds:0.000} s = {bytes / seconds / 1e6:0.0} MB/s"));
        return 0;
    }
}
