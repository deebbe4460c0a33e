using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.Probes.Tests.Smtp;

/// <summary>The mail host from DNS, against a dnsmasq this test runs on 127.0.0.1 (never the node's resolvers).</summary>
public sealed class SmtpMxLookupTests : IDisposable
{
    private readonly SmtpTestServer _smtp = SmtpTestServer.Start();
    private readonly Dnsmasq _dns = Dnsmasq.Start(
        "--mx-host=example.test,mail.example.test,10",
        "--mx-host=example.test,backup.example.test,20",
        "--mx-host=example.test,dead.example.test,5",
        "--host-record=mail.example.test,127.0.0.1",
        "--host-record=backup.example.test,127.0.0.2",
        "--host-record=plain.test,127.0.0.1",
        "--mx-host=nowhere.test,dead.example.test,10");

    public void Dispose()
    {
        _dns.Dispose();
        _smtp.Dispose();
    }

    [Fact]
    public async Task The_most_preferred_mx_host_with_an_address_is_chosen_and_reported()
    {
        var (report, events) = await SmtpPingProbeTests.RunAsync(SmtpPingProbeTests.Ping("example.test", _smtp.Port, dnsServer: _dns.Server));

        Assert.True(report.Succeeded, report.Verdict + "\n" + _dns.Log);
        Assert.Equal(SmtpHostSource.Mx, report.HostSource);
        Assert.Equal(["dead.example.test", "mail.example.test", "backup.example.test"], report.MxHosts.Select(m => m.Host));
        Assert.Equal([5, 10, 20], report.MxHosts.Select(m => m.Preference));
        Assert.Equal("mail.example.test", report.Host);
        Assert.Equal(10, report.MxPreference);
        Assert.Equal("127.0.0.1", report.Address);
        Assert.Equal(["127.0.0.1"], report.MxHosts[1].Addresses);
        var dns = events[0];
        Assert.Equal((SmtpPhase.Dns, true), (dns.Phase, dns.Ok));
        Assert.Equal("MX mail.example.test (preference 10) -> 127.0.0.1", dns.Detail);
        Assert.StartsWith($"OK: mail.example.test 127.0.0.1:{_smtp.Port}", report.Verdict);
        Assert.Contains("query[MX] example.test from 127.0.0.1", _dns.Log);
    }

    [Fact]
    public async Task A_domain_without_mx_is_its_own_mail_host()
    {
        var (report, _) = await SmtpPingProbeTests.RunAsync(SmtpPingProbeTests.Ping("plain.test", _smtp.Port, dnsServer: _dns.Server));

        Assert.True(report.Succeeded, report.Verdict);
        Assert.Equal(SmtpHostSource.ImplicitMx, report.HostSource);
        Assert.Empty(report.MxHosts);
        Assert.Equal("plain.test", report.Host);
        Assert.Null(report.MxPreference);
    }

    [Fact]
    public async Task An_unknown_domain_fails_with_unknown_host_naming_it()
    {
        var e = await Assert.ThrowsAsync<ProbeException>(() =>
            SmtpPingProbeTests.RunAsync(SmtpPingProbeTests.Ping("nosuch.test", _smtp.Port, dnsServer: _dns.Server)));

        Assert.Equal(ErrorCode.UnknownHost, e.Code);
        Assert.Contains("'nosuch.test'", e.Message);
        Assert.Contains("NXDOMAIN", e.Message);
    }

    [Fact]
    public async Task Mx_hosts_without_addresses_fail_the_dns_phase_naming_them()
    {
        var (report, _) = await SmtpPingProbeTests.RunAsync(SmtpPingProbeTests.Ping("nowhere.test", _smtp.Port, dnsServer: _dns.Server));

        Assert.False(report.Succeeded);
        Assert.Equal(SmtpPhase.Dns, report.FailedPhase);
        Assert.Contains("no MX host of nowhere.test has an A or AAAA record (dead.example.test", report.Verdict);
    }

    [Fact]
    public async Task A_dns_server_that_does_not_answer_fails_the_dns_phase_within_the_timeout()
    {
        using var silent = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var (report, _) = await SmtpPingProbeTests.RunAsync(
            SmtpPingProbeTests.Ping("example.test", _smtp.Port, timeout: TimeSpan.FromSeconds(1), dnsServer: $"127.0.0.1:{port}"));

        Assert.False(report.Succeeded);
        Assert.Equal(SmtpPhase.Dns, report.FailedPhase);
        Assert.Equal("dns: no answer within 1 s", report.Verdict);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task The_catalogs_resolver_is_the_one_the_probe_uses_and_flushing_drops_its_clients()
    {
        var catalog = new ProbeCatalog(new ProbeEnvironment());
        Assert.Equal(0, catalog.Resolver.FlushCache());

        var (report, _) = await SmtpPingProbeTests.RunAsync(SmtpPingProbeTests.Ping("example.test", _smtp.Port, dnsServer: _dns.Server), catalog);

        Assert.True(report.Succeeded, report.Verdict);
        Assert.Equal(1, catalog.Resolver.FlushCache());
        Assert.Equal(0, catalog.Resolver.FlushCache());
        Assert.Equal(3, catalog.Resolver.Flushes);
    }
}
