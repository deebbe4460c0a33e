using System.Net;
using System.Net.Sockets;
using CaptureActors.Probes.Sockets;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Tests.Sockets;

/// <summary>tcpservices against the real kernel: listeners this test opens must be listed with this process.</summary>
public sealed class TcpServicesProbeTests
{
    private static readonly string OwnCommand = File.ReadAllText("/proc/self/comm").TrimEnd('\n');

    private static async Task<TcpServicesReport> RunAsync()
    {
        var catalog = new ProbeCatalog(new ProbeEnvironment());
        var result = await catalog.RunAsync(new ListTcpServices("t"), new ProbeContext(_ => { }, CancellationToken.None));
        return Assert.IsType<TcpServicesReport>(result);
    }

    [Fact]
    public async Task A_TCP_listener_is_listed_with_its_process_user_and_address()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(7);
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var report = await RunAsync();

            var service = Assert.Single(report.Services, s => s.LocalPort == port && s.Protocol == "tcp");
            Assert.Equal(Environment.ProcessId, service.Pid);
            Assert.Equal(OwnCommand, service.Command);
            Assert.Equal(Environment.UserName, service.User);
            Assert.Equal("IPv4", service.Type);
            Assert.Equal("127.0.0.1", service.LocalAddress);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_bound_IPv6_UDP_socket_is_listed_and_a_closed_listener_is_not()
    {
        using var udp = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        var udpPort = ((IPEndPoint)udp.LocalEndPoint!).Port;
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var report = await RunAsync();

        var service = Assert.Single(report.Services, s => s.LocalPort == udpPort && s.Protocol == "udp");
        Assert.Equal("IPv6", service.Type);
        Assert.Equal("::1", service.LocalAddress);
        Assert.Equal(Environment.ProcessId, service.Pid);
        Assert.DoesNotContain(report.Services, s => s.LocalPort == closedPort && s.Protocol == "tcp");
    }

    [Fact]
    public void The_wildcard_address_shows_as_a_star()
    {
        Assert.Equal("*", TcpServicesProbe.AddressText(IPAddress.Any));
        Assert.Equal("*", TcpServicesProbe.AddressText(IPAddress.IPv6Any));
        Assert.Equal("127.0.0.1", TcpServicesProbe.AddressText(IPAddress.Parse("::ffff:127.0.0.1")));
    }
}
