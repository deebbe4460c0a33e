using System.CommandLine;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary><c>packetcapture delete FILE...</c>: deletes the named files; each refusal is reported (exit 1).</summary>
public static class PacketCaptureDeleteCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var files = new Argument<string[]>("FILE") { Description = "Capture file names, as 'packetcapture files' lists them", Arity = ArgumentArity.OneOrMore };
        var command = new Command("delete", "Delete capture files");
        command.Arguments.Add(files);
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            _ => true,
            async (context, _) =>
            {
                var names = context.ParseResult.GetValue(files) ?? [];
                var result = await context.Client.RequestAsync<FilesDeleted>(new DeleteFiles(names), context.CancellationToken).ConfigureAwait(false);
                return FilesDeletedReport.Write(context, result, summaryOnly: false);
            },
            cancellationToken,
            (nodes, _) => NodesCapture.DeleteAsync(nodes, new DeleteFiles(nodes.ParseResult.GetValue(files) ?? []), summaryOnly: false)));
        return command;
    }
}
