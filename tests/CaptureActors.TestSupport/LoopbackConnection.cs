using System.Net;
using System.Net.Sockets;

namespace CaptureActors.TestSupport;

/// <summary>An established TCP connection on 127.0.0.1: a listener, the client end and the accepted server end.</summary>
public sealed class LoopbackConnection : IDisposable
{
    private LoopbackConnection(TcpListener listener, TcpClient client, TcpClient server)
    {
        Listener = listener;
        Client = client;
        Server = server;
    }

    public TcpListener Listener { get; }

    public TcpClient Client { get; }

    public TcpClient Server { get; }

    /// <summary>The listener's (and server end's) port.</summary>
    public int Port => ((IPEndPoint)Listener.LocalEndpoint).Port;

    public int ClientPort => ((IPEndPoint)Client.Client.LocalEndPoint!).Port;

    public static async Task<LoopbackConnection> OpenAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            return new LoopbackConnection(listener, client, await listener.AcceptTcpClientAsync());
        }
        catch
        {
            client.Dispose();
            listener.Stop();
            throw;
        }
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        Listener.Stop();
    }
}
