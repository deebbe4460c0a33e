using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// The TLS matrix (issue 6) against real capture-agent and capturectl processes, with certificates made by
/// deploy/tls/make-dev-certs.sh: a console of the agent's CA works end to end, every other peer is refused with a
/// message that names the node and the TLS reason, the agent logs each refusal and keeps serving its good console.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed partial class MutualTlsTests : IDisposable
{
    private static readonly TimeSpan Bound = AgentCluster.Bound;
    private const string NodeName = "tls1";

    private readonly TempDirectory _root = new("ca-tls-");
    private readonly DevCertificates _certificates = new("viewer");
    private readonly DevCertificates _otherCa = new();
    private readonly List<IDisposable> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _otherCa.Dispose();
        _certificates.Dispose();
        _root.Dispose();
    }

    [GeneratedRegex(@"Download channel listening on 127\.0\.0\.1:(?<port>\d+) \(TLS\)")]
    private static partial Regex DownloadChannelPattern();

    [PrivilegedFact]
    public void A_tls_agent_serves_its_own_ca_console_end_to_end_and_refuses_every_other_peer_without_losing_the_good_one()
    {
        Privilege.Require();
        var agent = StartAgent(_certificates.Arguments("agent"));
        Assert.Contains("listening on akka.ssl.tcp://", agent.StartupLine);
        var good = _certificates.Arguments("console");

        // A good console attaches a capture; it must run through every refusal below.
        using var attached = new RunningCommand(Capturectl.Executable, ["packetcapture", "start", "-i", "lo", .. NodeArguments(agent), .. good]);
        var captureId = WaitForRunning(agent, good);

        // (1) A console without a certificate (plain Akka.Remote).
        var plain = Ctl(agent, [], "packetcapture", "status");
        AssertRefused(plain, "requires mutual TLS", "talks plain TCP");
        WaitForAgentLog(agent, "Rejected incoming connection");

        // (2) A console whose certificate and CA are another CA's: it refuses the agent, the agent refuses it.
        var foreign = Ctl(agent, _otherCa.Arguments("console"), "packetcapture", "status");
        AssertRefused(foreign, "mutual TLS failed", "not signed by our CA");

        // (2b) The same certificate, with a CA file that also trusts the agent's CA: now the agent is the one to refuse.
        var bothCas = Path.Combine(_root.Path, "both-ca.pem");
        File.WriteAllText(bothCas, File.ReadAllText(_otherCa.Ca) + File.ReadAllText(_certificates.Ca));
        var trustingForeign = Ctl(agent, ["--tls-cert", _otherCa.Pem("console"), "--tls-key", _otherCa.Key("console"), "--tls-ca", bothCas], "packetcapture", "status");
        AssertRefused(trustingForeign, "the agent refused this console's certificate 'CN=console");
        WaitForAgentLog(agent, "TLS: refused");
        Assert.Contains("is not signed by our CA", agent.StandardError);

        // (3) Plain HTTP to the Akka.Remote port: closed, logged.
        AssertClosedWithoutAnswer(agent.Port, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        WaitForAgentLog(agent, "not an SSL/TLS record");

        // (4) The download channel: a plain request with a made-up ticket, and TLS without a client certificate.
        var channelPort = int.Parse(DownloadChannelPattern().Match(agent.StandardError).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        AssertClosedWithoutAnswer(channelPort, [.. "CADL"u8, 1, .. new byte[32], .. new byte[8], 4, .. "x.pc"u8]);
        WaitForAgentLog(agent, "TLS handshake failed");
        AssertTlsWithoutCertificateRefused(channelPort);
        WaitForAgentLog(agent, "the peer presented no certificate");

        // The good console's capture ran throughout; its console is still attached.
        var status = Json(agent, good, "packetcapture", "status");
        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.Equal(captureId, status.GetProperty("captureId").GetString());
        Assert.False(attached.HasExited, attached.StandardOutput + attached.StandardError);

        var stop = Ctl(agent, good, "packetcapture", "stop");
        Assert.True(stop.ExitCode == 0, stop.StandardOutput + stop.StandardError);
        Assert.Equal(0, attached.WaitForExit(Bound).ExitCode);

        // Files and download over the TLS channel: bytes equal to the agent's file, SHA-256 verified.
        var file = Json(agent, good, "packetcapture", "files").GetProperty("files").EnumerateArray()
            .Single(f => f.GetProperty("captureId").GetString() == captureId);
        var name = file.GetProperty("name").GetString()!;
        var downloads = Path.Combine(_root.Path, "downloads");
        var download = Json(agent, good, "packetcapture", "download", name, "-o", downloads).GetProperty("downloads")[0];
        Assert.Equal("channel", download.GetProperty("transport").GetString());
        Assert.True(download.GetProperty("verified").GetBoolean());
        var original = File.ReadAllBytes(Path.Combine(_root.Path, NodeName, "captures", name));
        var copy = File.ReadAllBytes(Path.Combine(downloads, name));
        Assert.Equal(original, copy);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), download.GetProperty("sha256").GetString());
        Assert.Contains($"Download channel: sent {name}", agent.StandardError);
    }

    [PrivilegedFact]
    public void A_tls_console_is_told_that_a_plain_agent_does_not_speak_tls_and_bad_tls_files_are_usage_errors()
    {
        Privilege.Require();
        var plainAgent = StartAgent([]);
        var result = Ctl(plainAgent, _certificates.Arguments("console"), "packetcapture", "status");
        AssertRefused(result, "the agent does not speak TLS");

        // capturectl: a key that is not the certificate's, a missing file, half the options.
        var wrongKey = Ctl(plainAgent, ["--tls-cert", _certificates.Pem("console"), "--tls-key", _certificates.Key("agent"), "--tls-ca", _certificates.Ca], "packetcapture", "status");
        Assert.Equal(2, wrongKey.ExitCode);
        Assert.Contains("--tls-cert", wrongKey.StandardError);
        Assert.DoesNotContain("   at ", wrongKey.StandardError);
        var missing = Ctl(plainAgent, ["--tls-cert", _certificates.Pem("console"), "--tls-key", _certificates.Key("console"), "--tls-ca", Path.Combine(_root.Path, "nosuch.pem")], "packetcapture", "status");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nosuch.pem: no such file", missing.StandardError);

        // capture-agent: a CA that did not sign its certificate, and a --config that turns validation off.
        var foreign = ProcessRunner.Run(CaptureAgentProcess.Executable,
            ["--name", "bad", "--listen", "127.0.0.1:0", "--data-dir", Path.Combine(_root.Path, "bad"),
             "--tls-cert", _certificates.Pem("agent"), "--tls-key", _certificates.Key("agent"), "--tls-ca", _otherCa.Ca], Bound);
        Assert.Equal(2, foreign.ExitCode);
        Assert.Contains("capture-agent: TLS: --tls-cert", foreign.StandardError);
        Assert.Contains("is not signed by the CA in --tls-ca", foreign.StandardError);
        Assert.DoesNotContain("   at ", foreign.StandardError);

        var config = Path.Combine(_root.Path, "lax.hocon");
        File.WriteAllText(config, "akka.remote.dot-netty.tcp.ssl.suppress-validation = on\n");
        var lax = ProcessRunner.Run(CaptureAgentProcess.Executable,
            ["--name", "lax", "--listen", "127.0.0.1:0", "--data-dir", Path.Combine(_root.Path, "lax"), "--config", config, .. _certificates.Arguments("agent")], Bound);
        Assert.Equal(2, lax.ExitCode);
        Assert.Contains("suppress-validation = on is refused", lax.StandardError);
    }

    private CaptureAgentProcess StartAgent(string[] tls)
    {
        var name = tls.Length == 0 ? "plain1" : NodeName;
        var agent = CaptureAgentProcess.Start(Path.Combine(_root.Path, name), name, tls);
        _processes.Add(agent);
        return agent;
    }

    private static string[] NodeArguments(CaptureAgentProcess agent) =>
        ["--node", $"{(agent.StartupLine.Contains(" node plain1 ", StringComparison.Ordinal) ? "plain1" : NodeName)}=127.0.0.1:{agent.Port}"];

    private static ProcessResult Ctl(CaptureAgentProcess agent, string[] tls, params string[] arguments) =>
        ProcessRunner.Run(Capturectl.Executable, [.. arguments, .. NodeArguments(agent), .. tls], Bound);

    private static JsonElement Json(CaptureAgentProcess agent, string[] tls, params string[] arguments)
    {
        var result = Ctl(agent, tls, [.. arguments, "--json"]);
        Assert.True(result.ExitCode == 0, $"capturectl {string.Join(' ', arguments)}: {result.StandardOutput}{result.StandardError}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    private static string WaitForRunning(CaptureAgentProcess agent, string[] tls)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Bound)
        {
            var result = Ctl(agent, tls, "packetcapture", "status", "--json");
            if (result.ExitCode == 0 && JsonDocument.Parse(result.StandardOutput).RootElement is var status
                && status.GetProperty("state").GetString() == "running")
            {
                return status.GetProperty("captureId").GetString()!;
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException($"the capture did not run within {Bound}:\n{agent.StandardError}");
    }

    /// <summary>
    /// Exit 1, and stderr is one line that names the node and the reason: Akka.Remote's transport logging of the same
    /// refusal (handshake errors and gated addresses, with stack traces) is left out (ConsoleAkkaLogger).
    /// </summary>
    internal static void AssertRefused(ProcessResult result, params string[] reasons)
    {
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        var lines = result.StandardError.Trim().Split('\n');
        Assert.True(lines.Length == 1, $"expected the one refusal line on stderr, got:\n{result.StandardError}");
        var last = lines[^1];
        Assert.StartsWith("capturectl: node '", last);
        Assert.Contains("refused the connection", last);
        foreach (var reason in reasons)
        {
            Assert.Contains(reason, last);
        }
    }

    internal static void WaitForAgentLog(CaptureAgentProcess agent, string text)
    {
        var clock = Stopwatch.StartNew();
        while (!agent.StandardError.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the agent logged no '{text}':\n{agent.StandardError}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Sends <paramref name="bytes"/> and expects the connection closed (or reset) with nothing sent back.</summary>
    private static void AssertClosedWithoutAnswer(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        client.Connect("127.0.0.1", port);
        var stream = client.GetStream();
        stream.ReadTimeout = 10_000;
        stream.Write(bytes);
        var buffer = new byte[256];
        try
        {
            Assert.Equal(0, stream.Read(buffer));
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // A reset is as good as a close.
        }
    }

    private void AssertTlsWithoutCertificateRefused(int port)
    {
        using var client = new TcpClient();
        client.Connect("127.0.0.1", port);
        using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        tls.ReadTimeout = 10_000;
        try
        {
            tls.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });
            tls.Write([.. "CADL"u8, 1, .. new byte[32], .. new byte[8], 4, .. "x.pc"u8]);
            Assert.Equal(0, tls.Read(new byte[64]));
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            // Refused during or right after the handshake (TLS 1.3 checks the client's certificate last).
        }
    }
}
