using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary>The refusals of a file command (delete, clear, keep) run on several nodes, as messages for stderr or JSON.</summary>
public static class NodeFileRefusals
{
    /// <summary>
    /// A name a node does not have is no error when another node handled it (<paramref name="handledAnywhere"/>), and a
    /// name no node has is said once; every other refusal is named with its node.
    /// </summary>
    public static IEnumerable<string> Messages(IEnumerable<(string Node, IReadOnlyList<FileRefusal>? Refused)> results, IReadOnlySet<string> handledAnywhere) =>
        results
            .SelectMany(r => (r.Refused ?? []).Select(f => (r.Node, Refusal: f)))
            .Where(r => r.Refusal.Code != ErrorCode.UnknownFile || !handledAnywhere.Contains(r.Refusal.Name))
            .GroupBy(r => (r.Refusal.Name, r.Refusal.Code))
            .Select(g => g.Key.Code == ErrorCode.UnknownFile
                ? $"{g.Key.Name}: no selected node has a capture file of that name"
                : string.Join(Environment.NewLine, g.Select(r => NodeText.Prefixed(r.Node, r.Refusal.Message))));
}
