using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Iproute;

/// <summary>
/// Runs iproute2's <c>ip</c>, the tool operators use for the same job. Reads use its JSON output (<c>ip -j</c>),
/// which iproute2 keeps stable for scripts; this spares us a hand-written rtnetlink client (message layouts,
/// attribute parsing, dumps in several parts) for reads and changes that <c>ip</c> already does correctly.
/// Runs in the caller's network namespace, as the agent does.
/// </summary>
public sealed class IpTool(ProbeEnvironment environment)
{
    /// <summary>Longest one <c>ip</c> run may take; it answers from the kernel in milliseconds.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    /// <summary>Runs <c>ip -j ARGS</c> and parses its output; no output (some versions print nothing for an empty table) is an empty array.</summary>
    public async Task<JsonElement> JsonAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var output = await RunAsync(["-j", .. arguments], cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(output))
        {
            return JsonDocument.Parse("[]").RootElement;
        }

        try
        {
            using var document = JsonDocument.Parse(output);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ProbeException(ErrorCode.Internal, $"'ip -j {string.Join(' ', arguments)}' printed no JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs <c>ip ARGS</c> and returns its standard output. A failure becomes a <see cref="ProbeException"/> with
    /// ip's own message and a code for what it means (no permission, no such device, …).
    /// </summary>
    public async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(environment.IpCommand)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = $"ip {string.Join(' ', arguments)}";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ProbeException(ErrorCode.Internal, $"cannot start '{commandLine}'");
        }
        catch (Win32Exception e)
        {
            throw new ProbeException(ErrorCode.Internal, $"iproute2's 'ip' is not installed on this node ({environment.IpCommand}: {e.Message})", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(Limit);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new ProbeException(ErrorCode.Timeout, $"'{commandLine}' did not finish within {Limit.TotalSeconds:0} s");
            }

            var output = await stdout.ConfigureAwait(false);
            var error = (await stderr.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                throw Failure(commandLine, error);
            }

            return output;
        }
    }

    /// <summary>What a failed <c>ip</c> run means, from its message.</summary>
    public static ProbeException Failure(string commandLine, string error)
    {
        var message = error.StartsWith("Error: ", StringComparison.Ordinal) ? error["Error: ".Length..] : error;
        var code = message switch
        {
            _ when message.Contains("Operation not permitted", StringComparison.OrdinalIgnoreCase) => ErrorCode.PermissionDenied,
            _ when message.Contains("Cannot find device", StringComparison.OrdinalIgnoreCase) => ErrorCode.UnknownInterface,
            _ when message.Contains("does not exist", StringComparison.OrdinalIgnoreCase) => ErrorCode.UnknownInterface,
            _ when message.Contains("Invalid argument", StringComparison.OrdinalIgnoreCase) => ErrorCode.InvalidArgument,
            _ => ErrorCode.DeviceError,
        };
        return new ProbeException(code, $"'{commandLine}' failed: {(message.Length == 0 ? "no message" : message)}");
    }
}
