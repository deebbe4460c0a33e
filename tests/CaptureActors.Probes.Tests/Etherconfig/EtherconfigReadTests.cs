using CaptureActors.Protocol;

namespace CaptureActors.Probes.Tests.Etherconfig;

/// <summary>The read-only probes against this machine's real kernel (nothing is changed): loopback is always there.</summary>
public sealed class EtherconfigReadTests
{
    private static async Task<T> RunAsync<T>(IProbeCommand command)
    {
        var catalog = new ProbeCatalog(new ProbeEnvironment());
        return Assert.IsType<T>(await catalog.RunAsync(command, new ProbeContext(_ => { }, CancellationToken.None)));
    }

    [Fact]
    public async Task The_loopback_view_lists_lo_with_its_addresses_and_mtu()
    {
        var report = await RunAsync<EtherconfigReport>(new ShowEtherconfig("t", EtherconfigView.Loopback));

        var lo = Assert.Single(report.Interfaces, i => i.Name == "lo");
        Assert.Equal("loopback", lo.Kind);
        Assert.Contains("127.0.0.1/8", lo.Addresses);
        Assert.Equal(int.Parse(File.ReadAllText("/sys/class/net/lo/mtu").Trim(), System.Globalization.CultureInfo.InvariantCulture), lo.Mtu);
        Assert.All(report.Interfaces, i => Assert.Equal("loopback", i.Kind));
    }

    [Fact]
    public async Task The_mtu_view_lists_every_interface_sysfs_lists()
    {
        var report = await RunAsync<EtherconfigReport>(new ShowEtherconfig("t", EtherconfigView.Mtu));
        var sysfs = Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName).OfType<string>().ToHashSet();

        // Other tests may add or remove veths meanwhile: compare only the stable ones (lo and non-veth interfaces).
        Assert.Contains(report.Interfaces, i => i.Name == "lo");
        Assert.All(report.Interfaces.Where(i => i.Kind != "veth"), i => Assert.Contains(i.Name, sysfs));
        Assert.All(report.Interfaces, i => Assert.True(i.Mtu > 0, i.Name));
    }

    [Fact]
    public async Task The_ARP_view_of_this_machine_reads_without_error_and_holds_only_IPv4_addresses()
    {
        var report = await RunAsync<NeighbourReport>(new ShowNeighbours("t", NeighbourFamily.Ipv4));

        Assert.Equal(NeighbourFamily.Ipv4, report.Family);
        Assert.All(report.Entries, e => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.IPAddress.Parse(e.Address).AddressFamily));
    }
}
