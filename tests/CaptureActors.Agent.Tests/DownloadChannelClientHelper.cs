using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Tests;

/// <summary>A bare client of the download channel for the tests: every read and connect is bounded in time.</summary>
internal sealed class RawChannelClient : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly Socket _socket;
    private readonly Stream _stream;

    private RawChannelClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Connects; a small receive buffer lets a test stall a transfer without megabytes sitting in kernel buffers.</summary>
    public static async Task<RawChannelClient> ConnectAsync(int port, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        using var timeout = new CancellationTokenSource(Bound);
        await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        return new RawChannelClient(socket);
    }

    public async Task SendRequestAsync(byte[] token, string name, long offset)
    {
        using var timeout = new CancellationTokenSource(Bound);
        await DownloadChannel.WriteRequestAsync(_stream, token, name, offset, timeout.Token);
    }

    public async Task<(long Offset, long Length)> ReadHeaderAsync()
    {
        using var timeout = new CancellationTokenSource(Bound);
        return await DownloadChannel.ReadResponseAsync(_stream, timeout.Token);
    }

    /// <summary>Reads until the node closes; the bytes received.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var received = new MemoryStream();
        await _stream.CopyToAsync(received, timeout.Token);
        return received.ToArray();
    }

    /// <summary>True when the node closed the connection without sending anything.</summary>
    public async Task<bool> IsClosedByNodeAsync()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var buffer = new byte[1];
        try
        {
            return await _stream.ReadAsync(buffer, timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>A whole download: request, header, body; with the SHA-256 of the body.</summary>
    public static async Task<(long Offset, long Length, byte[] Body, string Sha256)> DownloadAsync(int port, DownloadTicket ticket)
    {
        await using var client = await ConnectAsync(port);
        await client.SendRequestAsync(ticket.Token, ticket.Name, ticket.Offset);
        var (offset, length) = await client.ReadHeaderAsync();
        var body = await client.ReadToEndAsync();
        return (offset, length, body, Convert.ToHexStringLower(SHA256.HashData(body)));
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
