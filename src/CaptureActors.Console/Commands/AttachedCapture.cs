using Akka.Actor;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Commands;

/// <summary>
/// Runs one capture for as long as this process watches it: starts it (bound to a console session actor unless
/// detached), polls its status, and on cancellation (Ctrl-C, SIGTERM) sends StopCapture; then reports the final
/// status, the stop reason and the files.
/// </summary>
public sealed class AttachedCapture(CommandContext context, TimeSpan pollInterval)
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ProgressLineInterval = TimeSpan.FromSeconds(1);

    /// <param name="detached">True for <c>--run-detached</c>: no session actor, no live display.</param>
    public async Task<int> RunAsync(CaptureOptions options, bool detached)
    {
        if (!detached && context.Connection.Session is { } shell)
        {
            return await StartInShellAsync(options, shell).ConfigureAwait(false);
        }

        var system = context.Connection.System;
        var session = detached ? null : system.ActorOf(ConsoleSessionActor.Props(), $"console-session-{Guid.NewGuid():N}");
        try
        {
            var request = new StartCapture(options, CaptureOwner.OfThisProcess("capturectl"), detached, session);
            var started = CaptureRejection.Expect(await context.Client.AskAsync(request, context.CancellationToken).ConfigureAwait(false));
            var final = await WatchAsync(started.Status, live: !detached && !context.Json).ConfigureAwait(false);
            return await ReportAsync(final).ConfigureAwait(false);
        }
        finally
        {
            if (session is not null)
            {
                system.Stop(session);
            }
        }
    }

    /// <summary>
    /// Started from the shell: the shell's session actor owns the capture, which runs on after this command returns to
    /// the prompt and stops with STOP, a limit, or when the shell ends (owner-lost).
    /// </summary>
    private async Task<int> StartInShellAsync(CaptureOptions options, ShellCaptureOwner shell)
    {
        var request = new StartCapture(options, CaptureOwner.OfThisProcess("capturectl shell"), Detached: false, shell.Actor);
        var started = CaptureRejection.Expect(await context.Client.AskAsync(request, context.CancellationToken).ConfigureAwait(false));
        if (started.Status.CaptureId is { } id)
        {
            shell.Started(id);
        }

        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, started.Status);
        }
        else
        {
            context.Io.CreateConsole().Write(StatusRenderer.Render(started.Status));
            context.Io.Out.WriteLine($"capture {started.Status.CaptureId} runs on node {started.Status.Node}; it stops with STOP, at a limit, or when you leave the shell");
        }

        return ExitCodes.Done;
    }

    /// <summary>A detached start on a remote agent: the agent keeps the capture; print it and return.</summary>
    public async Task<int> StartDetachedAsync(CaptureOptions options)
    {
        var request = new StartCapture(options, CaptureOwner.OfThisProcess("capturectl"), Detached: true);
        var started = CaptureRejection.Expect(await context.Client.AskAsync(request, context.CancellationToken).ConfigureAwait(false));
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, started.Status);
        }
        else
        {
            context.Io.Out.WriteLine($"capture {started.Status.CaptureId} runs detached on node {started.Status.Node}; stop it with: capturectl packetcapture stop");
        }

        return ExitCodes.Done;
    }

    private async Task<CaptureStatus> WatchAsync(CaptureStatus first, bool live)
    {
        if (live && context.Io.IsTerminal)
        {
            CaptureStatus result = first;
            await context.Io.CreateConsole().Live(StatusRenderer.Render(first)).AutoClear(true).StartAsync(async display =>
            {
                result = await PollAsync(first, status => display.UpdateTarget(StatusRenderer.Render(status))).ConfigureAwait(false);
            }).ConfigureAwait(false);
            return result;
        }

        if (live)
        {
            context.Io.Out.WriteLine($"capture {first.CaptureId} started on node {first.Node}; Ctrl-C stops it");
            context.Io.Out.Flush();
            var lastLine = DateTimeOffset.MinValue;
            return await PollAsync(first, status =>
            {
                var now = DateTimeOffset.UtcNow;
                if (now - lastLine >= ProgressLineInterval)
                {
                    lastLine = now;
                    context.Io.Out.WriteLine(StatusRenderer.ProgressLine(status));
                    context.Io.Out.Flush();
                }
            }).ConfigureAwait(false);
        }

        if (!context.Json)
        {
            // --run-detached: one line in the capture's log.
            context.Io.Out.WriteLine($"capture {first.CaptureId} started on node {first.Node} (detached, pid {Environment.ProcessId})");
            context.Io.Out.Flush();
        }

        return await PollAsync(first, _ => { }).ConfigureAwait(false);
    }

    private async Task<CaptureStatus> PollAsync(CaptureStatus first, Action<CaptureStatus> show)
    {
        var captureId = first.CaptureId;
        var status = first;
        show(status);
        var cancellation = context.CancellationToken;
        while (!HasEnded(status, captureId))
        {
            try
            {
                await Task.Delay(pollInterval, cancellation).ConfigureAwait(false);
                status = await context.Client.GetStatusAsync(cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // Ctrl-C / SIGTERM: stop this capture, with a fresh timeout (the command's token is cancelled).
                var stopped = await context.Client.StopAsync(captureId, CancellationToken.None).ConfigureAwait(false);
                return stopped.Status;
            }

            if (HasEnded(status, captureId))
            {
                break;
            }

            show(status);
        }

        return status;
    }

    private static bool HasEnded(CaptureStatus status, string? captureId) =>
        status.CaptureId != captureId || status.State is CaptureState.Stopped or CaptureState.Failed or CaptureState.Idle;

    private async Task<int> ReportAsync(CaptureStatus final)
    {
        var files = await CaptureFilesAsync(final).ConfigureAwait(false);
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new
            {
                captureId = final.CaptureId,
                stopReason = final.StopReason?.ToText(),
                status = final,
                files,
            });
        }
        else
        {
            var console = context.Io.CreateConsole();
            console.Write(StatusRenderer.Render(final));
            console.WriteLine($"stopped: {final.StopReason?.ToText() ?? TextFormat.State(final.State)}");
            if (files.Count > 0)
            {
                console.WriteLine("files:");
                foreach (var file in files)
                {
                    console.WriteLine($"  {file}");
                }
            }
        }

        if (final.State == CaptureState.Failed)
        {
            if (!context.Json)
            {
                context.Io.WriteError($"capture {final.CaptureId} failed: {final.Error ?? final.StopReason?.ToText() ?? "no reason given"}");
            }

            return ExitCodes.Failed;
        }

        return ExitCodes.Done;
    }

    /// <summary>
    /// Full paths of the files this capture left (data-dir/captures/NAME); on a remote agent the node's name and its own
    /// path (<c>NODE:/its/data-dir/captures/NAME</c>, from its <see cref="AgentIdentity"/>), not this console's data directory.
    /// </summary>
    private async Task<IReadOnlyList<string>> CaptureFilesAsync(CaptureStatus final)
    {
        var directory = await CaptureDirectoryAsync().ConfigureAwait(false);
        try
        {
            var listing = await context.Client.ListFilesAsync(CancellationToken.None).ConfigureAwait(false);
            var names = listing.Files.Where(f => f.CaptureId == final.CaptureId).Select(f => f.Name).ToList();
            if (names.Count > 0)
            {
                return names.Select(n => directory + Path.DirectorySeparatorChar + n).ToList();
            }
        }
        catch (CapturectlFailure)
        {
            // Fall back to the files the status names.
        }

        return final.Interfaces
            .Select(i => i.CurrentFile)
            .OfType<string>()
            .Select(f => directory + Path.DirectorySeparatorChar + Path.GetFileName(f))
            .ToList();
    }

    /// <summary>The capture directory as the user can find it: local, or <c>NODE:PATH</c> on the remote agent's host.</summary>
    private async Task<string> CaptureDirectoryAsync()
    {
        if (!context.Target.IsRemote)
        {
            return context.CaptureDirectory;
        }

        try
        {
            var identity = await context.Client.RequestAsync<AgentIdentity>(IdentifyAgent.Instance, CancellationToken.None).ConfigureAwait(false);
            return $"{identity.Node}:{Path.Combine(identity.DataDirectory, "captures")}";
        }
        catch (CapturectlFailure)
        {
            // The agent did not say where its data lives: name the node and the directory relative to its data directory.
            return $"{context.Client.NodeName}:captures";
        }
    }
}
