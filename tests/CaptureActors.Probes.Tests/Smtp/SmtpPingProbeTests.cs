using System.Collections.Concurrent;
using System.Diagnostics;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.Probes.Tests.Smtp;

/// <summary>smtpping against real servers on loopback: the SmtpServer library, a silent listener, a closed port.</summary>
public sealed class SmtpPingProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    internal static SmtpPing Ping(string target, int port, string? from = null, string? to = null, bool startTls = false, bool strictTls = false, TimeSpan? timeout = null, string? dnsServer = null) =>
        new("t", target, port, from, to, startTls, strictTls, timeout ?? Timeout, dnsServer);

    internal static async Task<(SmtpPingReport Report, IReadOnlyList<SmtpPhaseResult> Events)> RunAsync(SmtpPing ping, ProbeCatalog? catalog = null)
    {
        var events = new ConcurrentQueue<SmtpPhaseResult>();
        catalog ??= new ProbeCatalog(new ProbeEnvironment());
        var result = await catalog.RunAsync(ping, new ProbeContext(e => events.Enqueue(((SmtpPhaseCompleted)e).Result), CancellationToken.None));
        return (Assert.IsType<SmtpPingReport>(result), events.ToList());
    }

    [Fact]
    public async Task A_plain_session_succeeds_and_shows_the_servers_capabilities_and_each_phase()
    {
        using var server = SmtpTestServer.Start();

        var (report, events) = await RunAsync(Ping("127.0.0.1", server.Port, "probe@example.org", "postmaster@example.test"));

        Assert.True(report.Succeeded, report.Verdict);
        Assert.Null(report.FailedPhase);
        Assert.StartsWith($"OK: 127.0.0.1:{server.Port} accepts mail for <postmaster@example.test>", report.Verdict);
        Assert.Equal(SmtpHostSource.Literal, report.HostSource);
        Assert.Equal(
            [SmtpPhase.Connect, SmtpPhase.Banner, SmtpPhase.Ehlo, SmtpPhase.MailFrom, SmtpPhase.RcptTo, SmtpPhase.Quit],
            report.Phases.Select(p => p.Phase));
        Assert.Equal(report.Phases, events);
        Assert.All(report.Phases, p => Assert.True(p.Ok && p.Elapsed > TimeSpan.Zero && p.Elapsed < Timeout, $"{p}"));
        Assert.Equal([220, 250, 250, 250, 221], report.Phases.Skip(1).Select(p => p.ReplyCode));
        Assert.Contains(SmtpTestServer.ServerName, report.Banner);

        var capabilities = Assert.IsType<SmtpCapabilities>(report.Capabilities);
        Assert.True(capabilities.Pipelining);
        Assert.True(capabilities.EightBitMime);
        Assert.False(capabilities.StartTls);
        Assert.Contains("PLAIN", capabilities.AuthMechanisms);
        Assert.Contains("LOGIN", capabilities.AuthMechanisms);
        Assert.Contains(capabilities.Extensions, e => e.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.Null(report.Tls);
    }

    [Fact]
    public async Task Starttls_reports_the_certificates_subject_and_expiry_and_the_capabilities_inside_tls()
    {
        using var certificate = SmtpTestServer.CreateCertificate(TimeSpan.FromDays(30));
        using var server = SmtpTestServer.Start(certificate);

        var (report, _) = await RunAsync(Ping("127.0.0.1", server.Port, startTls: true));

        Assert.True(report.Succeeded, report.Verdict);
        Assert.True(report.Capabilities!.StartTls);
        Assert.Equal(
            [SmtpPhase.Connect, SmtpPhase.Banner, SmtpPhase.Ehlo, SmtpPhase.Starttls, SmtpPhase.EhloTls, SmtpPhase.Quit],
            report.Phases.Select(p => p.Phase));
        var tls = Assert.IsType<SmtpTlsSession>(report.Tls);
        Assert.Equal(certificate.Subject, tls.Subject);
        Assert.Contains($"CN={SmtpTestServer.ServerName}", tls.Subject);
        Assert.Equal(certificate.Thumbprint, tls.Thumbprint);
        Assert.Equal(certificate.NotAfter.ToUniversalTime(), tls.NotAfter.UtcDateTime);
        Assert.StartsWith("TLSv1.", tls.Protocol);
        Assert.False(tls.Trusted);
        Assert.Contains(tls.ValidationErrors, e => e.Contains("chain", StringComparison.Ordinal));
        Assert.Contains("NOT trusted", report.Phases.Single(p => p.Phase == SmtpPhase.Starttls).Detail);
        Assert.NotNull(report.TlsCapabilities);
        Assert.False(report.TlsCapabilities!.StartTls);
        Assert.Contains("over TLSv1.", report.Verdict);
    }

    [Fact]
    public async Task Strict_tls_fails_the_starttls_phase_on_an_untrusted_certificate()
    {
        using var certificate = SmtpTestServer.CreateCertificate(TimeSpan.FromDays(1));
        using var server = SmtpTestServer.Start(certificate);

        var (report, _) = await RunAsync(Ping("127.0.0.1", server.Port, startTls: true, strictTls: true));

        Assert.False(report.Succeeded);
        Assert.Equal(SmtpPhase.Starttls, report.FailedPhase);
        Assert.StartsWith("starttls: certificate of 127.0.0.1 not trusted (--strict-tls)", report.Verdict);
    }

    [Fact]
    public async Task Starttls_against_a_server_without_it_names_the_missing_extension()
    {
        using var server = SmtpTestServer.Start();

        var (report, _) = await RunAsync(Ping("127.0.0.1", server.Port, startTls: true));

        Assert.False(report.Succeeded);
        Assert.Equal(SmtpPhase.Starttls, report.FailedPhase);
        Assert.Equal("starttls: the server does not offer STARTTLS (not in its EHLO reply)", report.Verdict);
    }

    [Fact]
    public async Task A_refused_recipient_is_the_verdict_with_the_servers_code_and_text()
    {
        using var server = SmtpTestServer.Start();

        var (report, events) = await RunAsync(Ping("127.0.0.1", server.Port, "probe@example.org", SmtpTestServer.RejectedRecipient));

        Assert.False(report.Succeeded);
        Assert.Equal(SmtpPhase.RcptTo, report.FailedPhase);
        // The library appends its own retry count to the text; the verdict quotes the server verbatim.
        Assert.StartsWith($"rcpt-to refused: 550 5.1.1 <{SmtpTestServer.RejectedRecipient}>: Recipient address rejected: User unknown", report.Verdict);
        var rcpt = report.Phases[^1];
        Assert.Equal((SmtpPhase.RcptTo, false, 550), (rcpt.Phase, rcpt.Ok, rcpt.ReplyCode));
        Assert.Equal(report.Phases, events);
    }

    [Fact]
    public async Task A_server_that_never_greets_fails_the_banner_phase_within_the_timeout()
    {
        using var silent = new SilentTcpServer();
        var timeout = TimeSpan.FromSeconds(1);
        var watch = Stopwatch.StartNew();

        var (report, _) = await RunAsync(Ping("127.0.0.1", silent.Port, timeout: timeout));

        watch.Stop();
        Assert.False(report.Succeeded);
        Assert.Equal(SmtpPhase.Banner, report.FailedPhase);
        Assert.Equal("banner: no answer within 1 s", report.Verdict);
        var banner = report.Phases.Single(p => p.Phase == SmtpPhase.Banner);
        Assert.InRange(banner.Elapsed, timeout - TimeSpan.FromMilliseconds(50), timeout + TimeSpan.FromSeconds(1));
        Assert.True(watch.Elapsed < timeout + TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal(1, silent.Accepted);
    }

    [Fact]
    public async Task A_closed_port_fails_the_connect_phase()
    {
        var port = SilentTcpServer.ClosedPort();

        var (report, _) = await RunAsync(Ping("127.0.0.1", port));

        Assert.False(report.Succeeded);
        Assert.Equal(SmtpPhase.Connect, report.FailedPhase);
        Assert.Equal($"connect: 127.0.0.1:{port} refused the connection", report.Verdict);
        Assert.Single(report.Phases);
        Assert.Equal("127.0.0.1", report.Address);
    }

    [Fact]
    public async Task An_ipv6_target_is_connected_to_as_given()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.IPv6Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (report, _) = await RunAsync(Ping("::1", port));

        Assert.Equal(SmtpPhase.Connect, report.FailedPhase);
        Assert.Equal($"connect: [::1]:{port} refused the connection", report.Verdict);
    }

    [Theory]
    [InlineData("127.0.0.1", 0, null, null, "port 0 is out of range 1..65535")]
    [InlineData("127.0.0.1", 25, "not-an-address", null, "--from 'not-an-address' is not a valid address")]
    [InlineData("127.0.0.1", 25, null, "Bob <bob@example.test>", "--to 'Bob <bob@example.test>' is not a valid address")]
    [InlineData("bad name!", 25, null, null, "'bad name!' is neither a host name nor an IP address")]
    public async Task Bad_requests_are_refused_with_what_is_wrong(string target, int port, string? from, string? to, string message)
    {
        var e = await Assert.ThrowsAsync<ProbeException>(() => RunAsync(Ping(target, port, from, to)));

        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task A_timeout_out_of_range_is_refused()
    {
        var e = await Assert.ThrowsAsync<ProbeException>(() => RunAsync(Ping("127.0.0.1", 25, timeout: TimeSpan.FromMinutes(5))));

        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
        Assert.Contains("--timeout 5m is out of range: allowed 1s to 2m", e.Message);
    }

    [Fact]
    public void The_ceiling_leaves_every_phase_its_timeout()
    {
        var ping = Ping("example.test", 25, timeout: TimeSpan.FromSeconds(10));
        var catalog = new ProbeCatalog(new ProbeEnvironment());

        Assert.True(catalog.Knows(ping));
        Assert.True(catalog.Ceiling(ping) >= TimeSpan.FromSeconds(10) * Enum.GetValues<SmtpPhase>().Length);
    }
}
