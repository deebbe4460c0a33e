using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// deploy/bootstrap.sh, run from each entry point of a copy of the clone, with every Debian package reported missing:
/// the run commands install only what running needs (libpcap0.8), ./test.sh also what the tests need. dpkg-query,
/// apt-get, id and dotnet are stand-ins on PATH that record what they were asked; nothing is installed or built.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BootstrapScriptTests : IDisposable
{
    private static readonly string[] TestOnlyPackages =
        ["tcpdump", "tshark", "dnsmasq-base", "tmux", "nftables", "chromium", "chromium-driver"];

    private readonly TempDirectory _clone = new("ca-bootstrap-");

    public BootstrapScriptTests()
    {
        Directory.CreateDirectory(Path.Combine(_clone.Path, "deploy"));
        foreach (var script in new[] { "capturectl", "capture-agent", "test.sh", Path.Combine("deploy", "bootstrap.sh") })
        {
            File.Copy(Path.Combine(CaptureAgentProcess.RepositoryRoot, script), Path.Combine(_clone.Path, script));
        }

        // A build newer than every source (there are none in the copy): bootstrap does not build.
        Directory.CreateDirectory(Path.Combine(_clone.Path, ".build"));
        File.WriteAllText(Path.Combine(_clone.Path, ".build", "stamp"), "");
        var bin = Directory.CreateDirectory(Path.Combine(_clone.Path, "fake-bin")).FullName;
        Fake(bin, "dpkg-query", "exit 1"); // every package missing
        Fake(bin, "apt-get", $"echo \"$*\" >> {Log}");
        Fake(bin, "id", "echo 0");
        Fake(bin, "dotnet", "exit 0");
        FakeBin = bin;
    }

    private string FakeBin { get; }

    private string Log => Path.Combine(_clone.Path, "apt-get.log");

    public void Dispose() => _clone.Dispose();

    [Theory]
    [InlineData("capturectl")]
    [InlineData("capture-agent")]
    public void A_run_command_installs_only_libpcap(string entryPoint)
    {
        Run(entryPoint);

        var install = Assert.Single(InstallLines());
        Assert.Equal("install -y -qq --no-install-recommends libpcap0.8", install);
    }

    [Fact]
    public void Test_sh_installs_what_the_tests_need_too()
    {
        Run("test.sh");

        var install = Assert.Single(InstallLines());
        var packages = install.Split(' ');
        Assert.Contains("libpcap0.8", packages);
        Assert.All(TestOnlyPackages, p => Assert.Contains(p, packages));
    }

    [Fact]
    public void An_unknown_option_is_refused_naming_the_allowed_ones()
    {
        var result = ProcessRunner.Run("env", [$"PATH={FakeBin}:/usr/bin:/bin", Path.Combine(_clone.Path, "deploy", "bootstrap.sh"), "--for-test"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option --for-test (allowed: --for-tests, --force)", result.StandardError);
        Assert.False(File.Exists(Log), "apt-get ran");
    }

    private void Run(string entryPoint)
    {
        // The entry point's own work after bootstrap (exec of a binary the copy does not have, dotnet test) may fail;
        // only what bootstrap asked apt-get for counts.
        ProcessRunner.Run("env", [$"PATH={FakeBin}:/usr/bin:/bin", Path.Combine(_clone.Path, entryPoint)], TimeSpan.FromSeconds(60));
    }

    private IEnumerable<string> InstallLines() =>
        File.Exists(Log) ? File.ReadAllLines(Log).Where(l => l.StartsWith("install ", StringComparison.Ordinal)) : [];

    private static void Fake(string bin, string name, string body)
    {
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
