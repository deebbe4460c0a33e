using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// <c>--data-dir</c> naming a file (or a path below one) is refused with exit 1 by every command of the embedded agent,
/// not listed as an empty directory ("no capture files", exit 0).
/// </summary>
public sealed class DataDirectoryFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("ca-datadir-file-");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("packetcapture files")]
    [InlineData("packetcapture status")]
    [InlineData("packetcapture files --json")]
    public void A_file_as_data_directory_is_refused_with_exit_1(string command)
    {
        var file = _dir.File("not-a-directory");
        File.WriteAllText(file, "x");

        var result = ProcessRunner.Run(Capturectl.Executable, ["--data-dir", file, .. command.Split(' ')], Capturectl.CommandTimeout);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        Assert.Contains($"data directory {file} is a file, not a directory: --data-dir names a directory", result.StandardError + result.StandardOutput);
        Assert.DoesNotContain("no capture files", result.StandardOutput);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void A_data_directory_below_a_file_is_refused_naming_the_file()
    {
        var file = _dir.File("plain");
        File.WriteAllText(file, "x");
        var below = Path.Combine(file, "data");

        var result = ProcessRunner.Run(Capturectl.Executable, ["--data-dir", below, "packetcapture", "files"], Capturectl.CommandTimeout);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        Assert.Contains($"data directory {below} lies below the file {file}, not a directory", result.StandardError);
    }
}
