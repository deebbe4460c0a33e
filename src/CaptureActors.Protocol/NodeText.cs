namespace CaptureActors.Protocol;

/// <summary>How a node's name is put before a message about it, once.</summary>
public static class NodeText
{
    /// <summary>
    /// <c>node: message</c>, or <paramref name="message"/> as it is when it already starts with the node's name (an
    /// agent names itself in its authorization refusals: <c>lab1: refused: packetcapture start needs role operator</c>).
    /// </summary>
    public static string Prefixed(string node, string? message)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = message ?? "";
        return text.StartsWith(node + ": ", StringComparison.Ordinal) ? text : $"{node}: {text}";
    }
}
