using System.CommandLine;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands.Probes;

/// <summary>
/// Runs a probe command on the selected node (embedded or remote) or, with <c>--on a,b|--all</c>, on every selected
/// node at once, and shows it through its <see cref="ProbeOutput{TResult}"/>. Every probe command goes through here.
/// </summary>
public static class ProbeCommandRunner
{
    /// <param name="prepare">Checks the arguments (throwing <see cref="UsageException"/>) and returns how to make the request for a probe id.</param>
    public static Task<int> RunAsync<TResult>(
        CommandRuntime runtime,
        ParseResult parseResult,
        Func<ParseResult, Func<string, IProbeCommand>> prepare,
        ProbeOutput<TResult> output,
        CancellationToken cancellationToken)
        where TResult : class, IProbeResult =>
        runtime.RunAsync(
            parseResult,
            prepare,
            (context, create) => RunOneAsync(context, create, output),
            cancellationToken,
            (context, create) => RunManyAsync(context, create, output));

    private static async Task<int> RunOneAsync<TResult>(CommandContext context, Func<string, IProbeCommand> create, ProbeOutput<TResult> output)
        where TResult : class, IProbeResult
    {
        var reply = await ProbeClient.RunAsync(
            context.Connection.System,
            context.Connection.Agent,
            context.Target.NodeName,
            create,
            context.Json ? null : e => output.OnEvent(context.Io, null, e),
            context.CancellationToken).ConfigureAwait(false);
        var result = reply switch
        {
            TResult expected => expected,
            ProbeFailed failed => throw new CapturectlFailure(failed.Message, failed.Code),
            _ => throw new CapturectlFailure($"node '{context.Target.NodeName}' answered with an unexpected {reply.GetType().Name}", ErrorCode.Internal),
        };
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, result);
        }
        else
        {
            output.Render(context.Io, result);
        }

        return output.Succeeded(result) ? ExitCodes.Done : ExitCodes.Failed;
    }

    private static async Task<int> RunManyAsync<TResult>(NodesContext context, Func<string, IProbeCommand> create, ProbeOutput<TResult> output)
        where TResult : class, IProbeResult
    {
        var gate = new Lock();
        var results = await Task.WhenAll(context.Nodes.Nodes.Select(async node =>
        {
            if (node.Agent is null)
            {
                return new NodeProbeResult<TResult>(node.Name, null, node.Error);
            }

            try
            {
                var reply = await ProbeClient.RunAsync(
                    context.Nodes.System,
                    node.Agent,
                    node.Name,
                    create,
                    context.Json ? null : e =>
                    {
                        lock (gate)
                        {
                            output.OnEvent(context.Io, node.Name, e);
                        }
                    },
                    context.CancellationToken).ConfigureAwait(false);
                return reply switch
                {
                    TResult expected => new NodeProbeResult<TResult>(node.Name, expected, null),
                    ProbeFailed failed => new NodeProbeResult<TResult>(node.Name, null, failed.Message),
                    _ => new NodeProbeResult<TResult>(node.Name, null, $"unexpected {reply.GetType().Name}"),
                };
            }
            catch (OperationCanceledException)
            {
                return new NodeProbeResult<TResult>(node.Name, null, "interrupted");
            }
        })).ConfigureAwait(false);

        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new { nodes = results.Select(r => new { node = r.Node, result = r.Result, error = r.Error }) });
        }
        else
        {
            output.RenderNodes(context.Io, results);
        }

        return results.All(r => r.Result is { } result && output.Succeeded(result)) ? ExitCodes.Done : ExitCodes.Failed;
    }
}
