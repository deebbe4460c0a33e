namespace CaptureActors.Web.Api;

// The live filter check of the settings form (POST /api/filter/check): what the page sends and gets back.

/// <summary>Check <paramref name="Filter"/> (as typed; trimmed as a start trims it) on the chosen nodes.</summary>
public sealed partial record FilterCheckRequest(IReadOnlyList<string> Nodes, string? Filter);

/// <summary>One node's answer: <paramref name="Valid"/> null when the node could not be asked (<paramref name="Error"/> says why).</summary>
public sealed record FilterVerdict(string Node, bool? Valid, string? Error);

/// <summary>
/// The verdict of every chosen node. <paramref name="Valid"/>: every node accepts the filter. <paramref name="FieldErrors"/>:
/// as in <see cref="ActionResult"/>, <c>filter</c> holds <c>node: message</c> for each node that refuses it.
/// </summary>
public sealed record FilterCheckResult(
    string Filter,
    bool Valid,
    IReadOnlyList<FilterVerdict> Nodes,
    IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors);
