namespace CaptureActors.Controller.Nodes;

/// <summary>
/// The nodes a controller may talk to, from <c>--node NAME=HOST:PORT</c> options and <c>--nodes FILE</c> files
/// (one node a line, <c>#</c> comments, blank lines ignored; read within <see cref="NodesFile"/>' bounds), at most
/// <see cref="MaxNodes"/>, and the selection of some of them (<c>--on a,b</c>, <c>--all</c>).
/// </summary>
public sealed class NodeRegistry
{
    /// <summary>Nodes one console may name: far above any fleet a console addresses directly (a controller's fleet registers itself).</summary>
    public const int MaxNodes = 10_000;

    /// <summary>Problems reported one by one before the rest are counted.</summary>
    private const int MaxReportedProblems = 20;

    private readonly List<NodeAddress> _nodes = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public IReadOnlyList<NodeAddress> Nodes => _nodes;

    public bool IsEmpty => _nodes.Count == 0;

    /// <summary>Builds a registry; every problem (bad line, duplicate name, unreadable file) is reported at once.</summary>
    public static NodeRegistry Load(IEnumerable<string> nodeOptions, IEnumerable<string> nodeFiles)
    {
        var registry = new NodeRegistry();
        var problems = new List<string>();
        foreach (var option in nodeOptions)
        {
            registry.Add(option, "--node", problems);
        }

        foreach (var file in nodeFiles)
        {
            IReadOnlyList<string> lines;
            try
            {
                lines = NodesFile.ReadLines(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(e.Message.Contains(file, StringComparison.Ordinal) ? e.Message : $"cannot read nodes file {file}: {e.Message}");
                continue;
            }

            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i].Split('#', 2)[0].Trim();
                if (line.Length > 0)
                {
                    registry.Add(line, $"{file}:{i + 1}", problems);
                }

                if (registry._nodes.Count > MaxNodes)
                {
                    problems.Add($"{file}:{i + 1}: more than {MaxNodes:N0} nodes: at most {MaxNodes:N0} are allowed");
                    break;
                }
            }
        }

        if (problems.Count > MaxReportedProblems)
        {
            var more = problems.Count - MaxReportedProblems;
            problems = [.. problems.Take(MaxReportedProblems), $"and {more:N0} more problems"];
        }

        return problems.Count == 0 ? registry : throw new NodeSelectionException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// The nodes a command runs on: those named by <paramref name="on"/>, or all with <paramref name="all"/>, or the only
    /// node when there is one. Unknown names are refused with the known ones listed.
    /// </summary>
    public IReadOnlyList<NodeAddress> Select(IReadOnlyList<string> on, bool all)
    {
        if (all || (on.Count == 0 && _nodes.Count == 1))
        {
            return _nodes;
        }

        if (on.Count == 0)
        {
            throw new NodeSelectionException($"{_nodes.Count} nodes are configured: choose with --on NAME[,NAME...] or --all (nodes: {string.Join(", ", _nodes.Select(n => n.Name))})");
        }

        var names = on.SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();
        var unknown = names.Where(n => _nodes.All(node => node.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new NodeSelectionException($"unknown node {string.Join(", ", unknown.Select(u => $"'{u}'"))}: known nodes are {string.Join(", ", _nodes.Select(n => n.Name))}");
        }

        return [.. names.Select(n => _nodes.Single(node => node.Name == n))];
    }

    private void Add(string text, string source, List<string> problems)
    {
        if (!NodeAddress.TryParse(text, out var node, out var error))
        {
            problems.Add($"{source}: {error}");
        }
        else if (!_names.Add(node!.Name))
        {
            problems.Add($"{source}: node '{node.Name}' is defined twice");
        }
        else
        {
            _nodes.Add(node);
        }
    }
}

/// <summary>A node option, file or selection is wrong; the message says what and what is allowed.</summary>
public sealed class NodeSelectionException(string message) : Exception(message);
