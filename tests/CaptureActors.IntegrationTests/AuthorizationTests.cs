using System.Diagnostics;
using System.Text.Json;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// Authorization by certificate identity with the real binaries: a capture-agent with --tls-* and roles from a
/// --config file, capturectl with a viewer's, an operator's and a foreign CA's certificate; the agent's audit log.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class AuthorizationTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly DevCertificates _certificates = new("viewer");
    private readonly TempDirectory _data = new("ca-authz-");
    private readonly TempDirectory _console = new("ca-authz-ctl-");
    private readonly CaptureAgentProcess _agent;
    private readonly Capturectl _ctl;

    public AuthorizationTests(ITestOutputHelper output)
    {
        _output = output;
        var config = Path.Combine(_console.Path, "agent-roles.hocon");
        File.WriteAllText(config, """
            capture-agent.authorization {
              operators = ["CN=console"]
              viewers = ["CN=viewer"]
            }
            """);
        _agent = CaptureAgentProcess.Start(_data.Path, "authz1", ["--config", config, .. _certificates.Arguments("agent")]);
        _ctl = new Capturectl(_console.Path);
    }

    private string AuditPath => Path.Combine(_data.Path, "audit.log");

    private List<JsonElement> Audit() => [.. File.ReadAllLines(AuditPath).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private ProcessResult As(string who, params string[] command)
    {
        var watch = Stopwatch.StartNew();
        var result = _ctl.Run(["--node", $"authz1=127.0.0.1:{_agent.Port}", .. _certificates.Arguments(who), .. command]);
        _output.WriteLine($"[{who}] capturectl {string.Join(' ', command)} -> exit {result.ExitCode} in {watch.ElapsedMilliseconds} ms\n{result.StandardOutput}{result.StandardError}");
        return result;
    }

    public void Dispose()
    {
        _output.WriteLine(File.Exists(AuditPath) ? File.ReadAllText(AuditPath) : "(no audit log)");
        _agent.Dispose(); // a capture left running by a failed test ends with its agent
        _data.Dispose();
        _console.Dispose();
        _certificates.Dispose();
    }

    /// <summary>packetcapture start --detach, stop and files as the operator: the name of the one file written.</summary>
    private string CaptureOneFileAsOperator()
    {
        var start = As("console", "packetcapture", "start", "-i", "lo", "-f", "udp port 9", "--detach");
        Assert.True(start.ExitCode == 0, start.StandardError);
        var stop = As("console", "packetcapture", "stop");
        Assert.True(stop.ExitCode == 0, stop.StandardError);
        var files = JsonDocument.Parse(As("console", "packetcapture", "files", "--json").StandardOutput).RootElement;
        return files.GetProperty("files").EnumerateArray().Single().GetProperty("name").GetString()!;
    }

    [PrivilegedFact]
    public void An_operator_captures_downloads_and_deletes_a_viewer_only_reads_a_foreign_certificate_is_refused_and_all_is_audited()
    {
        Privilege.Require();
        // The agent logs it just after its startup line (logging is asynchronous).
        Assert.True(_agent.WaitForLog("authorization on", TimeSpan.FromSeconds(10)), _agent.StandardError);
        var name = CaptureOneFileAsOperator();

        Assert.Equal(0, As("viewer", "packetcapture", "status").ExitCode);
        Assert.Equal(0, As("viewer", "tcpservices").ExitCode);
        var nodes = JsonDocument.Parse(As("viewer", "nodes", "--json").StandardOutput).RootElement.GetProperty("nodes")[0];
        Assert.Equal("CN=viewer, O=CaptureActors dev (viewer)", nodes.GetProperty("identity").GetString());

        var start = As("viewer", "packetcapture", "start", "-i", "lo", "--duration", "2s");
        Assert.Equal(1, start.ExitCode);
        Assert.Contains("capturectl: authz1: refused: packetcapture start needs role operator; CN=viewer, O=CaptureActors dev has viewer", start.StandardError);
        var download = As("viewer", "packetcapture", "download", name, "-o", _console.Path);
        Assert.Equal(1, download.ExitCode);
        Assert.Contains("packetcapture download needs role operator", download.StandardError);
        var delete = As("viewer", "packetcapture", "delete", name);
        Assert.Equal(1, delete.ExitCode);
        Assert.Contains("packetcapture delete needs role operator", delete.StandardError);
        Assert.True(File.Exists(Path.Combine(_data.Path, "captures", name)));
        Assert.False(File.Exists(Path.Combine(_console.Path, name)));

        using var foreign = new DevCertificates();
        var stranger = _ctl.Run(["--node", $"authz1=127.0.0.1:{_agent.Port}", .. foreign.Arguments("console"), "packetcapture", "status"]);
        _output.WriteLine(stranger.StandardError);
        Assert.Equal(1, stranger.ExitCode);
        // Akka.Remote runs over mutual TLS: the handshake refuses a foreign CA before any proof (the proof step refuses it
        // too, AgentAuthorizationTests); a console without a certificate gets no further than the handshake either.
        Assert.Matches("authz1.*mutual TLS failed", stranger.StandardError);

        var plain = _ctl.Run("--node", $"authz1=127.0.0.1:{_agent.Port}", "packetcapture", "status");
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains("requires mutual TLS", plain.StandardError, StringComparison.Ordinal);

        var refused = Audit().Where(l => l.GetProperty("result").GetString() == "refused" && l.GetProperty("who").GetString()!.StartsWith("CN=viewer", StringComparison.Ordinal)).ToList();
        Assert.Equal(["packetcapture start", "packetcapture download", "packetcapture delete"], refused.Select(l => l.GetProperty("what").GetString()));
        Assert.All(refused, l => Assert.Equal("CN=viewer, O=CaptureActors dev", l.GetProperty("who").GetString()));
        Assert.All(refused, l => Assert.StartsWith("akka.ssl.tcp://capturectl@127.0.0.1:", l.GetProperty("from").GetString()));
        Assert.DoesNotContain(Audit(), l => l.GetProperty("what").GetString() is "packetcapture status" or "tcpservices" or "packetcapture files" && l.GetProperty("result").GetString() == "ok");
        Assert.Equal("-rw-------", ProcessRunner.Run("stat", ["-c", "%A", AuditPath], TimeSpan.FromSeconds(5)).StandardOutput.Trim());

        // The operator may: download and delete; with the start and stop before, four audit lines with subject and result.
        var operatorDownload = As("console", "packetcapture", "download", name, "-o", _console.Path);
        Assert.True(operatorDownload.ExitCode == 0, operatorDownload.StandardError);
        Assert.True(File.Exists(Path.Combine(_console.Path, name)));
        var operatorDelete = As("console", "packetcapture", "delete", name);
        Assert.True(operatorDelete.ExitCode == 0, operatorDelete.StandardError);
        Assert.False(File.Exists(Path.Combine(_data.Path, "captures", name)));

        var lines = Audit().Where(l => l.GetProperty("what").GetString() != "session" && l.GetProperty("who").GetString()!.StartsWith("CN=console", StringComparison.Ordinal)).ToList();
        Assert.Equal(["packetcapture start", "packetcapture stop", "packetcapture download", "packetcapture delete"], lines.Select(l => l.GetProperty("what").GetString()));
        Assert.All(lines, l =>
        {
            Assert.Equal("CN=console, O=CaptureActors dev", l.GetProperty("who").GetString());
            Assert.Equal("operator", l.GetProperty("role").GetString());
            Assert.Equal("ok", l.GetProperty("result").GetString());
            Assert.EndsWith("Z", l.GetProperty("time").GetString());
        });
        Assert.Equal("udp port 9", lines[0].GetProperty("arguments").GetProperty("filter").GetString());
        Assert.Equal(name, lines[2].GetProperty("arguments").GetProperty("file").GetString());
        Assert.Equal(name, lines[3].GetProperty("arguments").GetProperty("files")[0].GetString());
        // One session per capturectl run with a certificate of the CA: 3 + 6 viewer runs + 2.
        Assert.Equal(11, Audit().Count(l => l.GetProperty("what").GetString() == "session" && l.GetProperty("result").GetString() == "ok"));
    }
}
