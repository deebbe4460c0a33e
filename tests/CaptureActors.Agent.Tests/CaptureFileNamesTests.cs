using CaptureActors.Agent.Storage;

namespace CaptureActors.Agent.Tests;

public sealed class CaptureFileNamesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 15, 0, TimeSpan.Zero);

    [Fact]
    public void Pcap_names_follow_the_design() =>
        Assert.Equal("gw1_eth0_20261124T101500Z_007.pcap", CaptureFileNames.Pcap("gw1", "eth0", Start, 7));

    [Theory]
    [InlineData("mail_gw/1", "eth0.100", "mail-gw-1_eth0.100_20261124T101500Z_001.pcap")]
    [InlineData("..", "lo", "-_lo_20261124T101500Z_001.pcap")]
    [InlineData("gw 1", "any", "gw-1_any_20261124T101500Z_001.pcap")]
    public void Unsafe_characters_never_reach_a_file_name(string node, string iface, string expected)
    {
        var name = CaptureFileNames.Pcap(node, iface, Start, 1);

        Assert.Equal(expected, name);
        Assert.True(CaptureFileNames.IsCaptureFileName(name));
    }

    [Theory]
    [InlineData("gw1_eth0_20261124T101500Z_001.pcap", true)]
    [InlineData("../gw1_eth0_20261124T101500Z_001.pcap", false)]
    [InlineData("gw1_eth0_20261124T101500Z_001.pcap.json", false)]
    [InlineData("gw1_eth0_20261124T101500Z.pcap", false)]
    [InlineData("setup.json", false)]
    [InlineData("", false)]
    public void Recognises_only_its_own_names(string name, bool expected) =>
        Assert.Equal(expected, CaptureFileNames.IsCaptureFileName(name));

    [Fact]
    public void The_first_free_sequence_follows_existing_files()
    {
        var directory = Directory.CreateTempSubdirectory("ca-names-").FullName;
        try
        {
            var prefix = CaptureFileNames.FilePrefix("gw1", "eth0", Start);
            Assert.Equal(1, CaptureFileNames.FirstFreeSequence(directory, prefix));
            File.WriteAllBytes(Path.Combine(directory, CaptureFileNames.Pcap("gw1", "eth0", Start, 1)), []);
            File.WriteAllBytes(Path.Combine(directory, CaptureFileNames.Pcap("gw1", "eth0", Start, 4)), []);
            File.WriteAllBytes(Path.Combine(directory, CaptureFileNames.Pcap("gw1", "eth1", Start, 9)), []);

            Assert.Equal(5, CaptureFileNames.FirstFreeSequence(directory, prefix));
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
