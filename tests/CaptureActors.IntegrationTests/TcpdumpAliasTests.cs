using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary><c>capturectl tcpdump</c>, as the appliance's 6.x users type it, is <c>packetcapture</c> under another name.</summary>
public sealed class TcpdumpAliasTests : IDisposable
{
    private readonly TempDirectory _data = new("ca-tcpdump-alias-");

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("status")]
    [InlineData("files")]
    [InlineData("setup")]
    public void Tcpdump_runs_the_packetcapture_subcommand(string subcommand)
    {
        var ctl = new Capturectl(_data.Path);

        var alias = ctl.Run("tcpdump", subcommand);
        var original = ctl.Run("packetcapture", subcommand);

        Assert.True(alias.ExitCode == 0, alias.StandardOutput + alias.StandardError);
        Assert.DoesNotContain("Unrecognized command", alias.StandardError);
        Assert.Equal(original.StandardOutput, alias.StandardOutput);
    }

    [Fact]
    public void The_top_level_help_names_tcpdump_beside_packetcapture()
    {
        var help = ProcessRunner.Run(Capturectl.Executable, ["--help"], Capturectl.CommandTimeout);

        Assert.Equal(0, help.ExitCode);
        Assert.Matches(@"packetcapture, tcpdump\s+Capture packets to pcap files", help.StandardOutput);
    }
}
