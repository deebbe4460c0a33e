using System.Net.Sockets;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>deploy/lab/lab.sh brings up agents in namespaces and takes everything down again.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class LabScriptTests : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _lab = new("ca-lab-it-");

    public void Dispose()
    {
        Lab("down"); // also after a failed test
        _lab.Dispose();
    }

    [PrivilegedFact]
    public void Up_2_starts_two_listening_agents_in_namespaces_and_down_leaves_nothing_behind()
    {
        Privilege.Require();
        var up = Lab("up", "2");
        Assert.True(up.ExitCode == 0, up.StandardError + up.StandardOutput);
        Assert.Contains("ip netns exec ca-lab-1", up.StandardOutput);
        Assert.Equal(
            ["lab1=127.0.0.1:4711", "lab2=127.0.0.1:4712"],
            File.ReadAllLines(_lab.File("nodes")).Where(l => !l.StartsWith('#')));
        var namespaces = Ip("netns", "list");
        Assert.Contains("ca-lab-1", namespaces);
        Assert.Contains("ca-lab-2", namespaces);
        Assert.Contains("198.18.2.2/30", ProcessRunner.Run("ip", "-n", "ca-lab-2", "-o", "addr", "show", "dev", "calab2p").StandardOutput);
        Assert.Contains("198.18.1.1/30", Ip("-o", "addr", "show", "dev", "calab1h"));
        var pids = new[] { 1, 2 }.Select(i => int.Parse(File.ReadAllText(_lab.File($"lab{i}.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var port in new[] { 4711, 4712 })
        {
            using var tcp = new TcpClient();
            tcp.Connect("127.0.0.1", port);
        }

        Assert.Contains("running pid", Lab("status").StandardOutput);

        // TLS is on by default: the printed CAPTURE_TLS_DIR is all capturectl needs; without it the agents refuse.
        var tls = _lab.File("tls");
        Assert.Contains($"export CAPTURE_TLS_DIR={tls}", up.StandardOutput);
        Assert.Contains("akka.ssl.tcp://capture-agent@127.0.0.1:4711", up.StandardOutput);
        Assert.True(File.Exists(Path.Combine(tls, "viewer.pem")) && File.Exists(Path.Combine(tls, "viewer.key")), "no viewer certificate");
        var status = Ctl([$"CAPTURE_TLS_DIR={tls}"], "packetcapture", "status", "--all");
        Assert.True(status.ExitCode == 0, status.StandardOutput + status.StandardError);
        Assert.Contains("lab1", status.StandardOutput);
        Assert.Contains("lab2", status.StandardOutput);
        Assert.Contains("idle", status.StandardOutput);
        Assert.DoesNotContain("unreachable", status.StandardOutput + status.StandardError);
        Assert.DoesNotContain("refused", status.StandardOutput + status.StandardError);
        // A coordinated capture and a download from both nodes, every byte over the agents' TLS download channels.
        var start = Ctl([$"CAPTURE_TLS_DIR={tls}"], "packetcapture", "start", "--all", "--duration", "2s");
        Assert.True(start.ExitCode == 0, start.StandardOutput + start.StandardError);
        var download = Ctl([$"CAPTURE_TLS_DIR={tls}"], "packetcapture", "download", "--all", "-o", _lab.File("downloads"), "--json");
        Assert.True(download.ExitCode == 0, download.StandardOutput + download.StandardError);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(download.StandardOutput, "\"transport\": \"channel\""));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(download.StandardOutput, "\"verified\": true"));
        Assert.Contains("(TLS)", File.ReadAllText(_lab.File("lab1.log")));
        var plain = Ctl([], "packetcapture", "status", "--on", "lab1");
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains("requires mutual TLS", plain.StandardError);

        var down = Lab("down");

        Assert.True(down.ExitCode == 0, down.StandardError);
        Assert.DoesNotContain("ca-lab-", Ip("netns", "list"));
        Assert.DoesNotContain("calab", Ip("-o", "link", "show"));
        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"agent pid {pid} still runs"));
        Assert.Contains("no lab", Lab("status").StandardOutput);
    }

    [PrivilegedFact]
    public void Up_with_plain_starts_agents_without_tls()
    {
        Privilege.Require();
        var up = Lab("up", "1", "--plain");
        Assert.True(up.ExitCode == 0, up.StandardError + up.StandardOutput);
        Assert.Contains("akka.tcp://capture-agent@127.0.0.1:4711", up.StandardOutput);
        Assert.DoesNotContain("CAPTURE_TLS_DIR", up.StandardOutput);
        var status = Ctl([], "packetcapture", "status");
        Assert.True(status.ExitCode == 0, status.StandardOutput + status.StandardError);
        Assert.Contains("plain TCP", Lab("status").StandardOutput);
    }

    private ProcessResult Ctl(string[] environment, params string[] arguments) => ProcessRunner.Run(
        "env",
        [.. environment, Capturectl.Executable, "--nodes", _lab.File("nodes"), .. arguments],
        ScriptTimeout);

    private ProcessResult Lab(params string[] arguments) => ProcessRunner.Run(
        "env",
        [$"LAB_DIR={_lab.Path}", $"CAPTURE_AGENT={CaptureAgentProcess.Executable}",
         Path.Combine(CaptureAgentProcess.RepositoryRoot, "deploy", "lab", "lab.sh"), .. arguments],
        ScriptTimeout);

    private static string Ip(params string[] arguments) => ProcessRunner.Run("ip", arguments).EnsureSuccess("ip").StandardOutput;
}
