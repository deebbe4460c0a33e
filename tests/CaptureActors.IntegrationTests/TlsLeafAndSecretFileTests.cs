using CaptureActors.IntegrationTests.Web;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// Issue 14's certificate and key-file holes against real processes, certificates by deploy/tls/make-dev-certs.sh: the
/// CA's own certificate and the agent's certificate, used as capturectl's, are refused by the agent at the TLS handshake
/// (capturectl names why in one line, the agent logs it) while the console's certificate still works; a private key
/// or a serve token file that every user can read is refused before use (exit 2, naming the file, its mode and the
/// fix), and the same file at 0600 is accepted.
/// </summary>
[Collection(PrivilegedCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsLeafAndSecretFileTests : IDisposable
{
    private static readonly TimeSpan Bound = AgentCluster.Bound;
    private static readonly UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly UnixFileMode WorldReadable = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly TempDirectory _root = new("ca-tls-leaf-");
    private readonly DevCertificates _certificates = new();
    private readonly List<IDisposable> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _certificates.Dispose();
        _root.Dispose();
    }

    [PrivilegedFact]
    public void The_ca_s_certificate_and_the_agent_s_certificate_are_refused_as_a_console_at_the_handshake_and_the_console_s_passes()
    {
        Privilege.Require();
        var agent = StartAgent(_certificates.Arguments("agent"));

        var asCa = Ctl(agent, ["--tls-cert", _certificates.Ca, "--tls-key", Path.Combine(_certificates.Directory, "ca.key"), "--tls-ca", _certificates.Ca],
            "packetcapture", "status");
        MutualTlsTests.AssertRefused(asCa, "the agent refused this console's certificate 'CN=CaptureActors dev CA", "it is a CA certificate (basicConstraints CA:TRUE)");
        MutualTlsTests.WaitForAgentLog(agent, "is a CA certificate (basicConstraints CA:TRUE)");

        var asAgent = Ctl(agent, _certificates.Arguments("agent"), "packetcapture", "status");
        MutualTlsTests.AssertRefused(asAgent, "the agent refused this console's certificate 'CN=capture-agent", "it is issued for serverAuth, not clientAuth");
        MutualTlsTests.WaitForAgentLog(agent, "certificate 'CN=capture-agent, O=CaptureActors dev'");
        Assert.Contains("is issued for serverAuth, not clientAuth", agent.StandardError, StringComparison.Ordinal);
        Assert.Contains("TLS: refused", agent.StandardError, StringComparison.Ordinal);

        var console = Ctl(agent, _certificates.Arguments("console"), "packetcapture", "status");
        Assert.True(console.ExitCode == 0, console.StandardOutput + console.StandardError);
        Assert.Contains("node tls1: idle", console.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("console", "is issued for clientAuth, not serverAuth: agents present certificates with extendedKeyUsage=serverAuth")]
    [InlineData("ca", "is a CA certificate (basicConstraints CA:TRUE)")]
    public void An_agent_refuses_to_start_with_a_certificate_that_is_not_an_agent_s(string name, string expected)
    {
        var certificate = name == "ca" ? _certificates.Ca : _certificates.Pem(name);
        var key = name == "ca" ? Path.Combine(_certificates.Directory, "ca.key") : _certificates.Key(name);
        var result = ProcessRunner.Run(CaptureAgentProcess.Executable,
            ["--name", "notagent", "--listen", "127.0.0.1:0", "--data-dir", Path.Combine(_root.Path, "notagent"),
             "--tls-cert", certificate, "--tls-key", key, "--tls-ca", _certificates.Ca], Bound);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Trim().Split('\n'));
        Assert.StartsWith($"capture-agent: TLS: --tls-cert {certificate} {expected}", line, StringComparison.Ordinal);
        Assert.EndsWith("; consoles would refuse this agent at every handshake", line, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void A_world_readable_key_or_token_file_is_refused_naming_its_mode_and_the_fix_and_accepted_at_0600()
    {
        Privilege.Require();
        var agent = StartAgent(_certificates.Arguments("agent"));

        // capturectl's --tls-key.
        var key = Path.Combine(_root.Path, "console.key");
        File.Copy(_certificates.Key("console"), key);
        File.SetUnixFileMode(key, WorldReadable);
        var tls = new[] { "--tls-cert", _certificates.Pem("console"), "--tls-key", key, "--tls-ca", _certificates.Ca };
        var exposed = Ctl(agent, tls, "packetcapture", "status");
        Assert.Equal(2, exposed.ExitCode);
        Assert.Equal(
            $"capturectl: TLS: --tls-key {key} holds a secret and is readable by every user (mode 0644): chmod 600 {key} (or 640 to share it with the group)",
            exposed.StandardError.Trim());
        File.SetUnixFileMode(key, Private);
        var accepted = Ctl(agent, tls, "packetcapture", "status");
        Assert.True(accepted.ExitCode == 0, accepted.StandardOutput + accepted.StandardError);

        // capture-agent's --tls-key.
        var agentKey = Path.Combine(_root.Path, "agent.key");
        File.Copy(_certificates.Key("agent"), agentKey);
        File.SetUnixFileMode(agentKey, WorldReadable);
        var refusedAgent = ProcessRunner.Run(CaptureAgentProcess.Executable,
            ["--name", "exposed", "--listen", "127.0.0.1:0", "--data-dir", Path.Combine(_root.Path, "exposed"),
             "--tls-cert", _certificates.Pem("agent"), "--tls-key", agentKey, "--tls-ca", _certificates.Ca], Bound);
        Assert.Equal(2, refusedAgent.ExitCode);
        Assert.Equal($"capture-agent: TLS: --tls-key {agentKey} holds a secret and is readable by every user (mode 0644): chmod 600 {agentKey} (or 640 to share it with the group)",
            refusedAgent.StandardError.Trim());

        // serve's --token-file.
        var token = Path.Combine(_root.Path, "web.token");
        File.WriteAllText(token, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)) + "\n");
        File.SetUnixFileMode(token, WorldReadable);
        var data = Path.Combine(_root.Path, "serve");
        var refusedServe = ProcessRunner.Run(Capturectl.Executable, ["serve", "--listen", "127.0.0.1:0", "--token-file", token, "--data-dir", data], Bound);
        Assert.Equal(2, refusedServe.ExitCode);
        Assert.Contains($"--token-file {token} holds a secret and is readable by every user (mode 0644): chmod 600 {token}", refusedServe.StandardError, StringComparison.Ordinal);
        Assert.Single(refusedServe.StandardError.Trim().Split('\n'));
        File.SetUnixFileMode(token, Private);
        using var serve = ServeProcess.Start(["--token-file", token, "--data-dir", data]);
        Assert.Contains("a credential is required", serve.StandardOutput, StringComparison.Ordinal);
    }

    private CaptureAgentProcess StartAgent(string[] tls)
    {
        var agent = CaptureAgentProcess.Start(Path.Combine(_root.Path, "tls1"), "tls1", tls);
        _processes.Add(agent);
        return agent;
    }

    private static ProcessResult Ctl(CaptureAgentProcess agent, string[] tls, params string[] arguments) =>
        ProcessRunner.Run(Capturectl.Executable, [.. arguments, "--node", $"tls1=127.0.0.1:{agent.Port}", .. tls], Bound);
}
