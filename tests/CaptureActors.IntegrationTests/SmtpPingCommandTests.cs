using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary><c>capturectl diagnostic network smtpping</c> through the real binary (embedded agent) against servers on loopback.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class SmtpPingCommandTests : IDisposable
{
    private readonly TempDirectory _data = new("ca-smtpping-");
    private readonly SmtpTestServer _smtp = SmtpTestServer.Start();
    private readonly AgentCluster _cluster = new("ca-smtpping-");

    public void Dispose()
    {
        _cluster.Dispose();
        _smtp.Dispose();
        _data.Dispose();
    }

    [Fact]
    public void A_reachable_server_streams_every_phase_shows_its_capabilities_and_exits_0()
    {
        var ctl = new Capturectl(_data.Path);

        var result = ctl.Run("diagnostic", "network", "smtpping", _smtp.Target, "--from", "probe@example.org", "--to", "postmaster@example.test");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var lines = result.Lines;
        foreach (var phase in new[] { "connect", "banner", "ehlo", "mail-from", "rcpt-to", "quit" })
        {
            Assert.Contains(lines, l => l.StartsWith(phase + " ", StringComparison.Ordinal) && l.Contains(" ms  ok  ", StringComparison.Ordinal));
        }

        Assert.Contains(lines, l => l.StartsWith("banner ", StringComparison.Ordinal) && l.Contains($"220 {SmtpTestServer.ServerName}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ehlo ", StringComparison.Ordinal) && l.Contains("PIPELINING", StringComparison.Ordinal) && l.Contains("AUTH PLAIN LOGIN", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("verdict", StringComparison.Ordinal) && l.Contains($"OK: 127.0.0.1:{_smtp.Port} accepts mail for <postmaster@example.test>", StringComparison.Ordinal));
    }

    [Fact]
    public void A_refused_recipient_in_json_is_the_failed_phase_with_code_and_text_and_exits_1()
    {
        var ctl = new Capturectl(_data.Path);

        var result = ctl.Run("diagnostic", "network", "smtpping", _smtp.Target, "--to", SmtpTestServer.RejectedRecipient, "--timeout", "5s", "--json");

        Assert.True(result.ExitCode == 1, result.StandardOutput + result.StandardError);
        var report = System.Text.Json.JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.False(report.GetProperty("succeeded").GetBoolean());
        Assert.Equal("rcpt-to", report.GetProperty("failedPhase").GetString());
        Assert.StartsWith($"rcpt-to refused: 550 5.1.1 <{SmtpTestServer.RejectedRecipient}>", report.GetProperty("verdict").GetString());
        var phases = report.GetProperty("phases").EnumerateArray().ToList();
        Assert.Equal(["connect", "banner", "ehlo", "mail-from", "rcpt-to"], phases.Select(p => p.GetProperty("phase").GetString()));
        Assert.Equal(550, phases[^1].GetProperty("replyCode").GetInt32());
        Assert.Equal(250, phases[3].GetProperty("replyCode").GetInt32()); // MAIL FROM:<>, the null sender: --to without --from
        Assert.True(report.GetProperty("capabilities").GetProperty("pipelining").GetBoolean());
    }

    [Fact]
    public void The_mx_host_and_its_preference_come_from_the_given_dns_server()
    {
        using var dns = Dnsmasq.Start("--mx-host=example.test,mail.example.test,10", "--host-record=mail.example.test,127.0.0.1");
        var ctl = new Capturectl(_data.Path);

        var json = ctl.Json("diagnostic", "network", "smtpping", $"example.test:{_smtp.Port}", "--dns-server", dns.Server);
        var text = ctl.Run("diagnostic", "network", "smtpping", $"example.test:{_smtp.Port}", "--dns-server", dns.Server);

        Assert.True(json.GetProperty("succeeded").GetBoolean(), json.ToString());
        Assert.Equal("mx", json.GetProperty("hostSource").GetString());
        Assert.Equal("mail.example.test", json.GetProperty("host").GetString());
        Assert.Equal(10, json.GetProperty("mxPreference").GetInt32());
        Assert.True(text.ExitCode == 0, text.StandardOutput + text.StandardError);
        Assert.Contains(text.Lines, l => l.StartsWith("dns ", StringComparison.Ordinal) && l.Contains("MX mail.example.test (preference 10) -> 127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_closed_port_and_an_unknown_domain_exit_1_and_bad_input_exits_2_with_the_allowed_form()
    {
        using var dns = Dnsmasq.Start();
        var ctl = new Capturectl(_data.Path);
        var closed = SilentTcpServer.ClosedPort();

        var refused = ctl.Run("diagnostic", "network", "smtpping", $"127.0.0.1:{closed}");
        var unknown = ctl.Run("diagnostic", "network", "smtpping", "nosuch.test", "--dns-server", dns.Server);
        var badPort = ctl.Run("diagnostic", "network", "smtpping", "example.test:99999");
        var badFrom = ctl.Run("diagnostic", "network", "smtpping", "example.test", "--from", "not an address");
        var badTimeout = ctl.Run("diagnostic", "network", "smtpping", "example.test", "--timeout", "0.5s");

        Assert.True(refused.ExitCode == 1, refused.StandardOutput + refused.StandardError);
        Assert.Contains($"FAILED connect: 127.0.0.1:{closed} refused the connection", refused.StandardOutput);
        Assert.True(unknown.ExitCode == 1, unknown.StandardOutput + unknown.StandardError);
        Assert.Contains("unknown domain 'nosuch.test'", unknown.StandardError);
        Assert.Equal(2, badPort.ExitCode);
        Assert.Contains("port '99999' in 'example.test:99999' is not a number in 1..65535", badPort.StandardError);
        Assert.Contains("usage: diagnostic network smtpping HOST|DOMAIN[:PORT]", badPort.StandardError);
        Assert.Equal(2, badFrom.ExitCode);
        Assert.Contains("--from 'not an address' is not a valid address", badFrom.StandardError);
        Assert.Equal(2, badTimeout.ExitCode);
        Assert.Contains("--timeout 500ms is out of range: allowed 1s to 2m", badTimeout.StandardError);
    }

    [Fact]
    public void On_all_nodes_each_agent_reaches_the_server_and_reports_under_its_name()
    {
        _cluster.Start(2);

        var json = _cluster.Ctl("diagnostic", "network", "smtpping", _smtp.Target, "--all", "--json");
        var text = _cluster.Ctl("diagnostic", "network", "smtpping", _smtp.Target, "--all");

        Assert.True(json.ExitCode == 0, json.StandardOutput + json.StandardError);
        var nodes = System.Text.Json.JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal([AgentCluster.Node(0), AgentCluster.Node(1)], nodes.Select(n => n.GetProperty("node").GetString()).Order(StringComparer.Ordinal));
        Assert.All(nodes, n => Assert.True(n.GetProperty("result").GetProperty("succeeded").GetBoolean(), n.ToString()));
        Assert.True(text.ExitCode == 0, text.StandardOutput + text.StandardError);
        Assert.Contains(text.Lines, l => l.StartsWith($"{AgentCluster.Node(0)}: banner ", StringComparison.Ordinal));
        Assert.Contains(text.Lines, l => l.StartsWith($"{AgentCluster.Node(1)}: banner ", StringComparison.Ordinal));
    }
}
