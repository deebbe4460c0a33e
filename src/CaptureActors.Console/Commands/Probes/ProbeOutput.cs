using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Commands.Probes;

/// <summary>What one node answered to a probe: its result, or why there is none.</summary>
public sealed record NodeProbeResult<TResult>(string Node, TResult? Result, string? Error)
    where TResult : class, IProbeResult;

/// <summary>
/// How a probe command shows its run: events as they arrive (ping replies, hops), the result of one node, the
/// results of many. JSON output is the result itself (one node) or <c>{ nodes: [{ node, result, error }] }</c>.
/// </summary>
public abstract class ProbeOutput<TResult>
    where TResult : class, IProbeResult
{
    /// <summary>An event, in text mode only. <paramref name="node"/> is null when one node runs the probe.</summary>
    public virtual void OnEvent(AppIo io, string? node, IProbeEvent probeEvent)
    {
    }

    /// <summary>One node's result as text.</summary>
    public abstract void Render(AppIo io, TResult result);

    /// <summary>Several nodes' results as text: by default each under a rule naming its node.</summary>
    public virtual void RenderNodes(AppIo io, IReadOnlyList<NodeProbeResult<TResult>> results)
    {
        var console = io.CreateConsole();
        foreach (var node in results)
        {
            console.Write(new Rule(Markup.Escape(node.Node)).LeftJustified());
            if (node.Result is { } result)
            {
                Render(io, result);
            }
            else
            {
                console.MarkupLineInterpolated($"[red]{node.Error}[/]");
            }
        }
    }

    /// <summary>Whether the result means success (exit 0); e.g. a ping with no reply or a failed SMTP phase does not.</summary>
    public virtual bool Succeeded(TResult result) => true;
}
