using System.Net;
using System.Net.Sockets;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.Probes.Tests.Netstat;

/// <summary>netstat's views against the real kernel, on loopback sockets this test opens.</summary>
public sealed class NetstatKernelTests
{
    private static readonly ProbeCatalog Catalog = new(new ProbeEnvironment());

    internal static async Task<TResult> RunAsync<TResult>(IProbeCommand command, Action<IProbeEvent>? emit = null, CancellationToken cancellationToken = default)
        where TResult : IProbeResult =>
        Assert.IsType<TResult>(await Catalog.RunAsync(command, new ProbeContext(emit ?? (_ => { }), cancellationToken)));

    [Fact]
    public async Task A_listener_shows_its_backlog_as_maxqlen_and_unaccepted_connections_as_qlen()
    {
        const int backlog = 37;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var clients = new List<TcpClient>();
        try
        {
            var idle = Single(await RunAsync<NetstatListenReport>(new ListNetstatListenQueues("l")), port);
            Assert.Equal(new ListenQueue("IPv4", "127.0.0.1", port, 0, 0, backlog, idle.Inode), idle);
            Assert.True(idle.Inode > 0);

            for (var i = 0; i < 3; i++)
            {
                var client = new TcpClient(AddressFamily.InterNetwork);
                clients.Add(client);
                await client.ConnectAsync(IPAddress.Loopback, port);
            }

            var queued = await WaitForQueueAsync(port, 3);
            Assert.Equal(3, queued.QueueLength);
            Assert.Equal(backlog, queued.MaxQueueLength);

            listener.Accept().Dispose();
            Assert.Equal(2, (await WaitForQueueAsync(port, 2)).QueueLength);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task An_IPv6_listener_is_listed_with_its_family()
    {
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        listener.Listen(5);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var queue = Single(await RunAsync<NetstatListenReport>(new ListNetstatListenQueues("l6")), port);

        Assert.Equal(("IPv6", "::1", 5L), (queue.Family, queue.LocalAddress, queue.MaxQueueLength));
    }

    [Fact]
    public async Task An_established_loopback_connection_shows_both_ends_with_their_ports()
    {
        using var connection = await LoopbackConnection.OpenAsync();
        var (port, clientPort) = (connection.Port, connection.ClientPort);

        var sockets = (await RunAsync<NetstatSocketsReport>(new ListNetstatSockets("s"))).Sockets;

        Assert.Contains(new NetstatSocket("tcp", 0, 0, "127.0.0.1", port, "*", 0, "LISTEN"), sockets);
        Assert.Contains(new NetstatSocket("tcp", 0, 0, "127.0.0.1", port, "127.0.0.1", clientPort, "ESTABLISHED"), sockets);
        Assert.Contains(new NetstatSocket("tcp", 0, 0, "127.0.0.1", clientPort, "127.0.0.1", port, "ESTABLISHED"), sockets);
    }

    [Fact]
    public async Task Unread_bytes_show_in_recv_q()
    {
        using var connection = await LoopbackConnection.OpenAsync();
        var (port, clientPort) = (connection.Port, connection.ClientPort);
        await connection.Client.GetStream().WriteAsync(new byte[1234]);

        NetstatSocket? row = null;
        for (var attempt = 0; attempt < 50 && row?.ReceiveQueue != 1234; attempt++)
        {
            row = (await RunAsync<NetstatSocketsReport>(new ListNetstatSockets("q"))).Sockets
                .Single(s => s.LocalPort == port && s.ForeignPort == clientPort);
            await Task.Delay(20);
        }

        Assert.Equal(1234, row!.ReceiveQueue);
    }

    [Fact]
    public async Task Traffic_emits_one_sample_per_interval_and_ends_after_the_count()
    {
        var samples = new List<TrafficSample>();
        var started = DateTime.UtcNow;

        var report = await RunAsync<NetstatTrafficReport>(
            new WatchNetstatTraffic("t", TimeSpan.FromMilliseconds(100), 3),
            e => samples.Add(Assert.IsType<TrafficSample>(e)));

        var took = DateTime.UtcNow - started;
        Assert.Equal([1, 2, 3], samples.Select(s => s.Sequence));
        Assert.All(samples, s => Assert.InRange(s.Elapsed, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(1000)));
        Assert.All(samples, s => Assert.Contains(s.Interfaces, i => i.Name == "lo"));
        Assert.Equal((3, "count"), (report.Samples, report.Ended));
        Assert.InRange(took, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Equal(samples.Sum(s => s.Interfaces.Single(i => i.Name == "lo").InPackets), report.Interfaces.Single(i => i.Name == "lo").InPackets);
    }

    [Fact]
    public async Task Cancelling_traffic_returns_what_was_measured()
    {
        using var cancel = new CancellationTokenSource();
        var samples = 0;

        var report = await RunAsync<NetstatTrafficReport>(
            new WatchNetstatTraffic("c", TimeSpan.FromMilliseconds(100), null),
            _ =>
            {
                if (Interlocked.Increment(ref samples) == 2)
                {
                    cancel.CancelAfter(TimeSpan.FromMilliseconds(50));
                }
            },
            cancel.Token);

        Assert.Equal("cancelled", report.Ended);
        Assert.Equal(samples, report.Samples);
        Assert.InRange(report.Samples, 2, 3);
    }

    [Fact]
    public async Task Traffic_out_of_bounds_is_refused_by_the_probe_too()
    {
        var error = await Assert.ThrowsAsync<ProbeException>(() =>
            RunAsync<NetstatTrafficReport>(new WatchNetstatTraffic("b", TimeSpan.FromMilliseconds(10), 1)));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Contains("allowed 100ms to 1h", error.Message, StringComparison.Ordinal);
    }

    private static ListenQueue Single(NetstatListenReport report, int port) => Assert.Single(report.Listeners, l => l.LocalPort == port);

    private static async Task<ListenQueue> WaitForQueueAsync(int port, long length)
    {
        ListenQueue queue;
        var attempts = 0;
        do
        {
            queue = Single(await RunAsync<NetstatListenReport>(new ListNetstatListenQueues("w")), port);
            if (queue.QueueLength == length)
            {
                break;
            }

            await Task.Delay(20);
        }
        while (++attempts < 100);

        return queue;
    }
}
