using System.CommandLine;
using System.Text.Json;
using CaptureActors.Console.Rendering;
using Spectre.Console;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>packetcapture status [--watch]</c>: what the node's capture does now, or how the last one ended.
/// <c>--watch</c> repeats it every second until Ctrl-C (with <c>--json</c>: one compact document per line).
/// </summary>
public static class PacketCaptureStatusCommand
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    public static Command Create(CommandRuntime runtime)
    {
        var watch = new Option<bool>("--watch") { Description = "Keep showing the status every second until Ctrl-C" };
        var command = new Command("status", "Show the node's capture: state, elapsed, file, size, packets, drops per interface");
        command.Options.Add(watch);
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            result => result.GetValue(watch),
            (context, watching) => watching ? WatchAsync(context) : ShowAsync(context),
            cancellationToken,
            (nodes, _) => NodesCapture.StatusAsync(nodes)));
        return command;
    }

    private static async Task<int> ShowAsync(CommandContext context)
    {
        var status = await context.Client.GetStatusAsync(context.CancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, status);
        }
        else
        {
            context.Io.CreateConsole().Write(StatusRenderer.Render(status));
        }

        return ExitCodes.Done;
    }

    private static async Task<int> WatchAsync(CommandContext context)
    {
        var cancellation = context.CancellationToken;
        try
        {
            if (!context.Json && context.Io.IsTerminal)
            {
                var status = await context.Client.GetStatusAsync(cancellation).ConfigureAwait(false);
                await context.Io.CreateConsole().Live(StatusRenderer.Render(status)).StartAsync(async display =>
                {
                    while (true)
                    {
                        await Task.Delay(WatchInterval, cancellation).ConfigureAwait(false);
                        display.UpdateTarget(StatusRenderer.Render(await context.Client.GetStatusAsync(cancellation).ConfigureAwait(false)));
                    }
                }).ConfigureAwait(false);
            }

            while (true)
            {
                var status = await context.Client.GetStatusAsync(cancellation).ConfigureAwait(false);
                context.Io.Out.WriteLine(context.Json
                    ? JsonSerializer.Serialize(status, JsonOutput.Compact)
                    : $"{DateTimeOffset.UtcNow:HH:mm:ss} {StatusRenderer.Summary(status)}; {StatusRenderer.ProgressLine(status)}");
                context.Io.Out.Flush();
                await Task.Delay(WatchInterval, cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl-C ends watching; that is the normal way out.
            return ExitCodes.Done;
        }
    }
}
