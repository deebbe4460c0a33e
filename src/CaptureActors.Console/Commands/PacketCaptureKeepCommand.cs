using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>packetcapture keep FILE... [--unkeep]</c>: marks files keep (or takes the mark off). A kept file is never deleted
/// by a ring, the disk guard, <c>delete</c> or <c>clear</c>; <c>files</c> shows the mark. With several nodes each node
/// marks the names it has; a name no selected node has is an error (exit 1).
/// </summary>
public static class PacketCaptureKeepCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var files = new Argument<string[]>("FILE") { Description = "Capture file names, as 'packetcapture files' lists them", Arity = ArgumentArity.OneOrMore };
        var unkeep = new Option<bool>("--unkeep") { Description = "Take the keep mark off (the file can be deleted again)" };
        var command = new Command("keep", "Mark capture files keep: no ring, disk guard, delete or clear removes them");
        command.Arguments.Add(files);
        command.Options.Add(unkeep);
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            _ => true,
            async (context, _) =>
            {
                var request = new KeepFiles(context.ParseResult.GetValue(files) ?? [], !context.ParseResult.GetValue(unkeep));
                var result = await context.Client.RequestAsync<FilesKept>(request, context.CancellationToken).ConfigureAwait(false);
                return Write(context, result);
            },
            cancellationToken,
            (nodes, _) => KeepOnNodesAsync(nodes, new KeepFiles(nodes.ParseResult.GetValue(files) ?? [], !nodes.ParseResult.GetValue(unkeep)))));
        return command;
    }

    private static string Verb(bool keep) => keep ? "kept" : "unkept";

    private static int Write(CommandContext context, FilesKept result)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, result);
        }
        else
        {
            foreach (var name in result.Changed)
            {
                context.Io.Out.WriteLine($"{Verb(result.Keep)} {name}");
            }

            foreach (var refusal in result.Refused)
            {
                context.Io.WriteError($"{refusal.Name}: {refusal.Message}");
            }
        }

        return result.Refused.Count > 0 ? ExitCodes.Failed : ExitCodes.Done;
    }

    private static async Task<int> KeepOnNodesAsync(NodesContext context, KeepFiles request)
    {
        var replies = await context.Nodes.AskAllAsync(request, context.Runtime.AskTimeout).ConfigureAwait(false);
        var results = replies.Select(r => (r.Node, Result: r.Reply as FilesKept)).ToList();
        var changedAnywhere = results.SelectMany(r => r.Result?.Changed ?? []).ToHashSet(StringComparer.Ordinal);
        var errors = replies.Where(r => r.Reply is not FilesKept)
            .Select(r => NodeText.Prefixed(r.Node, r.Error ?? (r.Reply as CommandFailed)?.Message ?? "no answer"))
            .ToList();
        errors.AddRange(NodeFileRefusals.Messages(results.Select(r => (r.Node, r.Result?.Refused)), changedAnywhere));

        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new { keep = request.Keep, nodes = results.Select(r => new { node = r.Node, changed = r.Result?.Changed ?? [] }), errors });
        }
        else
        {
            foreach (var (node, result) in results.Where(r => r.Result is not null))
            {
                foreach (var name in result!.Changed)
                {
                    context.Io.Out.WriteLine($"{node}: {Verb(request.Keep)} {name}");
                }
            }

            foreach (var error in errors)
            {
                context.Io.WriteError(error);
            }
        }

        return errors.Count > 0 ? ExitCodes.Failed : ExitCodes.Done;
    }
}
