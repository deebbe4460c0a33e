using System.CommandLine;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary><c>packetcapture clear</c>: deletes every finished capture file.</summary>
public static class PacketCaptureClearCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("clear", "Delete every finished capture file of the node");
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            _ => true,
            async (context, _) =>
            {
                var result = await context.Client.RequestAsync<FilesDeleted>(ClearFiles.Instance, context.CancellationToken).ConfigureAwait(false);
                return FilesDeletedReport.Write(context, result, summaryOnly: true);
            },
            cancellationToken,
            (nodes, _) => NodesCapture.DeleteAsync(nodes, ClearFiles.Instance, summaryOnly: true)));
        return command;
    }
}
