using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Commands;

/// <summary><c>packetcapture stop</c>: stops the running capture (idempotent) and shows its final status.</summary>
public static class PacketCaptureStopCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("stop", "Stop the node's running capture (attached or detached)");
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, _ => true, (context, _) => RunAsync(context), cancellationToken, (nodes, _) => NodesCapture.StopAsync(nodes)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context)
    {
        var stopped = await context.Client.StopAsync(null, context.CancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, stopped);
            return ExitCodes.Done;
        }

        var console = context.Io.CreateConsole();
        if (!stopped.WasRunning)
        {
            console.WriteLine($"node {stopped.Status.Node}: no capture was running");
            return ExitCodes.Done;
        }

        console.Write(StatusRenderer.Render(stopped.Status));
        if (stopped.Status.StopReason is { } reason)
        {
            console.WriteLine($"stopped: {reason.ToText()}");
        }

        return ExitCodes.Done;
    }
}
