using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// Real capture-agent processes on 127.0.0.1 (node1, node2, …), each with its own data directory, and the
/// <c>--node</c> arguments that let capturectl reach them. Disposing kills the agents and removes their files.
/// </summary>
public sealed class AgentCluster(string prefix) : IDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _root = new(prefix);
    private readonly List<CaptureAgentProcess> _agents = [];
    private readonly List<string> _nodeArguments = [];

    public string RootPath => _root.Path;

    public IReadOnlyList<CaptureAgentProcess> Agents => _agents;

    /// <summary>The <c>--node NAME=127.0.0.1:PORT</c> arguments of every agent started.</summary>
    public IReadOnlyList<string> NodeArguments => _nodeArguments;

    public static string Node(int index) => $"node{index + 1}";

    public void Start(int count)
    {
        for (var i = _agents.Count; i < count; i++)
        {
            var agent = CaptureAgentProcess.Start(Path.Combine(_root.Path, Node(i)), Node(i));
            _agents.Add(agent);
            _nodeArguments.AddRange(["--node", $"{Node(i)}=127.0.0.1:{agent.Port}"]);
        }
    }

    /// <summary>Runs capturectl with every agent's <c>--node</c> argument.</summary>
    public ProcessResult Ctl(params string[] arguments) =>
        ProcessRunner.Run(Capturectl.Executable, [.. arguments, .. _nodeArguments], Bound);

    public RunningCommand StartCtl(params string[] arguments) =>
        new(Capturectl.Executable, [.. arguments, .. _nodeArguments]);

    public void Dispose()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }

        _root.Dispose();
    }
}
