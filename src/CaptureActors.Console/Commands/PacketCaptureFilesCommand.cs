using System.CommandLine;
using CaptureActors.Console.Rendering;

namespace CaptureActors.Console.Commands;

/// <summary><c>packetcapture files</c>: the node's capture files.</summary>
public static class PacketCaptureFilesCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("files", "List the node's capture files");
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, _ => true, (context, _) => RunAsync(context), cancellationToken, (nodes, _) => NodesCapture.FilesAsync(nodes)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context)
    {
        var listing = await context.Client.ListFilesAsync(context.CancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, listing);
        }
        else if (listing.Files.Count == 0)
        {
            context.Io.Out.WriteLine($"node {listing.Node}: no capture files");
        }
        else
        {
            context.Io.CreateConsole().Write(FilesRenderer.Render(listing));
        }

        if (!context.Json)
        {
            // Named like capture files but not listed (a link, a FIFO, ...): worth an operator's look, it was not made by the agent.
            foreach (var unlisted in listing.Unlisted ?? [])
            {
                context.Io.WriteError($"{unlisted.Message} (not listed)");
            }
        }

        return ExitCodes.Done;
    }
}
