using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>packetcapture check-filter EXPR</c>: each chosen node compiles the filter with its own libpcap, as a start would,
/// and says <c>ok</c> or the message a start would be refused with. Nothing starts and nothing is stored. Exit 0 when
/// every node accepts it, 1 when any node refuses it (or does not answer), naming the node; 2 for bad usage
/// (no expression, or one over the length limit).
/// </summary>
public static class PacketCaptureCheckFilterCommand
{
    /// <summary>One node's verdict; <paramref name="Error"/> is the node's refusal, or why it did not answer.</summary>
    public sealed record NodeVerdict(string Node, bool Valid, string? Error);

    /// <summary>The <c>--json</c> document.</summary>
    public sealed record Report(string Filter, bool Valid, IReadOnlyList<NodeVerdict> Nodes);

    public static Command Create(CommandRuntime runtime)
    {
        var expression = new Argument<string[]>("EXPR")
        {
            Description = "The filter in tcpdump syntax; several words are joined with spaces, as tcpdump does ('' checks the empty filter)",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("check-filter", "Check a capture filter with each node's libpcap, as a start would, without starting anything");
        command.Arguments.Add(expression);
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            result =>
            {
                // Over the length limit is bad usage here, as for 'start -f' (and never crosses the wire).
                var filter = string.Join(' ', result.GetValue(expression) ?? []);
                return CaptureSettings.FilterProblem(filter) is { } problem ? throw new UsageException(problem) : filter;
            },
            async (context, filter) =>
            {
                var reply = await context.Client.RequestAsync<FilterChecked>(new CheckFilter(filter), context.CancellationToken).ConfigureAwait(false);
                return Write(context.Io, context.Json, filter, [Verdict(reply.Node, reply)]);
            },
            cancellationToken,
            async (nodes, filter) =>
            {
                var replies = await nodes.Nodes.AskAllAsync(new CheckFilter(filter), nodes.Runtime.AskTimeout).ConfigureAwait(false);
                return Write(nodes.Io, nodes.Json, filter, [.. replies.Select(r => r.Error is { } error ? new NodeVerdict(r.Node, false, error) : Verdict(r.Node, r.Reply))]);
            }));
        return command;
    }

    private static NodeVerdict Verdict(string node, object? reply) => reply switch
    {
        FilterChecked { Valid: true } => new NodeVerdict(node, true, null),
        FilterChecked refused => new NodeVerdict(node, false, refused.Error ?? "refused without a reason"),
        CommandFailed failed => new NodeVerdict(node, false, failed.Message),
        _ => new NodeVerdict(node, false, $"node '{node}' answered the filter check with an unexpected {reply?.GetType().Name ?? "nothing"}"),
    };

    /// <summary>One line per node (<c>node: ok</c> or <c>node: why not</c>), or the JSON document; the exit code.</summary>
    private static int Write(AppIo io, bool json, string filter, IReadOnlyList<NodeVerdict> verdicts)
    {
        var valid = verdicts.All(v => v.Valid);
        if (json)
        {
            JsonOutput.Write(io.Out, new Report(filter, valid, verdicts));
        }
        else
        {
            foreach (var verdict in verdicts)
            {
                io.Out.WriteLine($"{verdict.Node}: {(verdict.Valid ? "ok" : verdict.Error)}");
            }
        }

        return valid ? ExitCodes.Done : ExitCodes.Failed;
    }
}
