namespace CaptureActors.Web.Api;

// What each POST body of the API needs, checked by JsonBody before any node is asked: a missing or null part is named
// by its JSON path (what the page sends: camelCase), never left to fail later as a null reference.

public sealed partial record StartRequest : IRequestBody
{
    public static string Shape => BodyParts.FormShape;

    public BodyProblem? Problem() => BodyParts.Names(Nodes, "nodes") ?? BodyParts.PerNode(Interfaces, "interfaces") ?? BodyParts.Form(Settings);
}

public sealed partial record SetupRequest : IRequestBody
{
    public static string Shape => BodyParts.FormShape;

    public BodyProblem? Problem() => BodyParts.Names(Nodes, "nodes") ?? BodyParts.PerNode(Interfaces, "interfaces") ?? BodyParts.Form(Settings);
}

public sealed partial record NodesRequest : IRequestBody
{
    public static string Shape => """{"nodes":["node1","node2"]}""";

    public BodyProblem? Problem() => BodyParts.Names(Nodes, "nodes");
}

public sealed partial record FilterCheckRequest : IRequestBody
{
    public static string Shape => """{"nodes":["node1"],"filter":"udp port 53"}""";

    public BodyProblem? Problem() => BodyParts.Names(Nodes, "nodes");
}

public sealed partial record DeleteRequest : IRequestBody
{
    public static string Shape => """{"files":[{"node":"node1","name":"FILE.pcap"}]}""";

    public BodyProblem? Problem()
    {
        if (Files is null)
        {
            return new BodyProblem("files", "'files' is missing: expected a list of {\"node\":\"NODE\",\"name\":\"FILE\"}");
        }

        for (var i = 0; i < Files.Count; i++)
        {
            var field = $"files[{i}]";
            var problem = Files[i] is not { } file ? BodyParts.Null(field, "{\"node\":\"NODE\",\"name\":\"FILE\"}")
                : file.Node is null ? BodyParts.Missing($"{field}.node", "the node's name")
                : file.Name is null ? BodyParts.Missing($"{field}.name", "the file's name")
                : null;
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }
}

internal static class BodyParts
{
    public const string FormShape =
        """{"nodes":["node1"],"interfaces":{"node1":["lo"]},"settings":{"interfaces":["lo"],"filter":"udp","maxSize":"200MB","duration":"30m","ring":""}} (interfaces and every part of settings optional, all text)""";

    public static BodyProblem Missing(string field, string expected) => new(field, $"'{field}' is missing: expected {expected}");

    public static BodyProblem Null(string field, string expected) => new(field, $"'{field}' is null: expected {expected}");

    /// <summary>A required list of names (<c>nodes</c>) or an optional one (<c>settings.interfaces</c>): no element null.</summary>
    public static BodyProblem? Names(IReadOnlyList<string>? names, string field, bool required = true)
    {
        if (names is null)
        {
            return required ? Missing(field, field == "nodes" ? "a list of node names, e.g. [\"node1\"]" : "a list of names") : null;
        }

        var index = names.ToList().IndexOf(null!);
        return index < 0 ? null : Null($"{field}[{index}]", "a name");
    }

    /// <summary>Optional <c>{"node":["iface",...]}</c>: each node's list present and without null.</summary>
    public static BodyProblem? PerNode(IReadOnlyDictionary<string, IReadOnlyList<string>>? perNode, string field) =>
        perNode?.Select(p => p.Value is null ? Null($"{field}.{p.Key}", "a list of interface names") : Names(p.Value, $"{field}.{p.Key}"))
            .FirstOrDefault(p => p is not null);

    public static BodyProblem? Form(SettingsForm? settings) =>
        settings is null
            ? Missing("settings", """the settings form {"interfaces":["lo"],"filter":"udp","maxSize":"200MB","duration":"30m","ring":""} (each part optional, all text; {} for the node's defaults)""")
            : Names(settings.Interfaces, "settings.interfaces", required: false);
}
