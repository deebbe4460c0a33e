using System.Diagnostics;
using System.Globalization;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>start --detach</c> with the embedded agent: the capture must outlive this process, so capturectl runs itself
/// again in a new session (<c>setsid</c>) with <c>--run-detached</c>, output to a log under data-dir/logs, and waits
/// until the node reports the capture running in that other process (or the child fails).
/// </summary>
public sealed class DetachedLauncher(CommandContext context)
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(2);

    public async Task<int> LaunchAsync(IEnumerable<string> settingArguments)
    {
        var logDirectory = Path.Combine(context.Target.DataDirectory, "logs");
        Directory.CreateDirectory(logDirectory);
        var log = Path.Combine(
            logDirectory,
            string.Create(CultureInfo.InvariantCulture, $"capture-{DateTime.UtcNow:yyyyMMddTHHmmssZ}-{Environment.ProcessId}.log"));

        var start = new ProcessStartInfo { UseShellExecute = false };
        var setsid = FindOnPath("setsid");
        var shellArguments = new List<string> { "-c", "exec \"$@\" </dev/null >>\"$CAPTURECTL_LOG\" 2>&1", "capturectl" };
        if (setsid is not null)
        {
            start.FileName = setsid;
            start.ArgumentList.Add("sh");
        }
        else
        {
            start.FileName = "sh";
        }

        foreach (var argument in shellArguments.Concat(SelfCommand()).Concat(["packetcapture", "start"]).Concat(settingArguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in new[] { "--run-detached", "--data-dir", context.Target.DataDirectory, "--node-name", context.Target.NodeName })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CAPTURECTL_LOG"] = log;

        using var child = Process.Start(start) ?? throw new CapturectlFailure("could not start the detached capture process");
        var deadline = DateTimeOffset.UtcNow + StartTimeout;
        while (true)
        {
            if (child.HasExited)
            {
                throw new CapturectlFailure(
                    $"the detached capture exited with code {child.ExitCode}; its log {log} ends:{Environment.NewLine}{LogTail(log)}");
            }

            var status = await TryGetStatusAsync().ConfigureAwait(false);
            if (status is { State: CaptureState.Running, CaptureId: not null, OtherProcess: true })
            {
                Report(status, child.Id, log);
                return ExitCodes.Done;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new CapturectlFailure(
                    $"the detached capture (pid {child.Id}) did not report running within {DurationText.Format(StartTimeout)}; see its log {log}:{Environment.NewLine}{LogTail(log)}");
            }

            await Task.Delay(CheckInterval, context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The node's status, or null when it did not answer within a short wait (keep checking until the deadline).</summary>
    private async Task<CaptureStatus?> TryGetStatusAsync()
    {
        try
        {
            return await context.Client.RequestAsync<CaptureStatus>(GetCaptureStatus.Instance, context.CancellationToken, StatusTimeout)
                .ConfigureAwait(false);
        }
        catch (CapturectlFailure failure) when (failure.Code == ErrorCode.Timeout)
        {
            return null;
        }
    }

    private void Report(CaptureStatus status, int processId, string log)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new { captureId = status.CaptureId, processId, log, status });
            return;
        }

        context.Io.Out.WriteLine($"capture {status.CaptureId} runs detached on node {status.Node} (pid {processId}, log {log})");
        context.Io.Out.WriteLine("stop it with: capturectl packetcapture stop");
    }

    /// <summary>This program as a command line: the apphost itself, or <c>dotnet capturectl.dll</c>.</summary>
    private static IEnumerable<string> SelfCommand()
    {
        var process = Environment.ProcessPath ?? throw new CapturectlFailure("cannot find this program's path to run it detached");
        yield return process;
        if (string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.Ordinal))
        {
            yield return typeof(CapturectlApp).Assembly.Location;
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static string LogTail(string log, int lines = 20)
    {
        try
        {
            var tail = File.ReadLines(log).TakeLast(lines).ToList();
            return tail.Count > 0 ? string.Join(Environment.NewLine, tail) : "(the log is empty so far)";
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
