using System.Diagnostics;
using System.Text.Json;

namespace CaptureActors.Console.Tests;

/// <summary>The real capturectl program as a child process: exit codes and a clean stdout.</summary>
public sealed class ProcessTests
{
    private static async Task<(int ExitCode, string Out, string Error)> RunCapturectl(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CapturectlApp).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Program_exits_2_on_a_bad_size_with_only_a_json_document_on_stdout()
    {
        var (exit, output, error) = await RunCapturectl("--json", "packetcapture", "start", "--max-size", "lots");

        Assert.Equal(2, exit);
        Assert.Equal("", error);
        using var document = JsonDocument.Parse(output);
        Assert.Contains("'lots' is not a size", document.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Program_help_lists_the_packetcapture_commands()
    {
        var (exit, output, _) = await RunCapturectl("packetcapture", "--help");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "start", "stop", "status", "setup", "files", "download", "delete", "clear" })
        {
            Assert.Contains(command, output);
        }
    }
}
