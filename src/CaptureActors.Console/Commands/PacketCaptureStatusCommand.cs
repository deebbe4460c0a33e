using System.CommandLine;
using CaptureActors.Console.Rendering;

namespace CaptureActors.Console.Commands;

/// <summary><c>packetcapture status</c>: what the node's capture does now, or how the last one ended.</summary>
public static class PacketCaptureStatusCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("status", "Show the node's capture: state, elapsed, file, size, packets, drops per interface");
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context)
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
}
