using System.CommandLine;
using CaptureActors.Agent.Hosting;
using CaptureActors.Console.Agent;
using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Console;

/// <summary>Options every command takes.</summary>
public sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one machine-readable JSON document on stdout",
        Recursive = true,
    };

    public Option<string> DataDirectory { get; } = new("--data-dir")
    {
        Description = "The node's data directory (captures, setup, logs)",
        HelpName = "DIR",
        Recursive = true,
        DefaultValueFactory = _ => AgentOptions.DefaultDataDirectory(),
    };

    public Option<string> NodeName { get; } = new("--node-name")
    {
        Description = "Name of this node, used in file names and status",
        HelpName = "NAME",
        Recursive = true,
        DefaultValueFactory = _ => Environment.MachineName,
    };

    public Option<string[]> Node { get; } = new("--node")
    {
        Description = "A remote node's agent, NAME=HOST:PORT (repeatable); without any node the agent runs embedded",
        HelpName = "NAME=HOST:PORT",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> NodesFile { get; } = new("--nodes")
    {
        Description = "A file of nodes, one NAME=HOST:PORT a line ('#' comments)",
        HelpName = "FILE",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> On { get; } = new("--on")
    {
        Description = "The nodes to run the command on, by name (comma-separated or repeated)",
        HelpName = "NAME,...",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> All { get; } = new("--all")
    {
        Description = "Run the command on every configured node",
        Recursive = true,
    };

    public Option<string> ConsoleHost { get; } = new("--console-host")
    {
        Description = "Address agents reach this console on (for attached captures); default 127.0.0.1 when every node is on loopback, else this host's name",
        HelpName = "HOST",
        Recursive = true,
    };

    public Option<string?> TlsCertificate { get; } = new(TlsFiles.CertificateOption)
    {
        Description = "This console's TLS certificate (PEM); with --tls-key and --tls-ca talks mutual TLS to the agents",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string?> TlsKey { get; } = new(TlsFiles.KeyOption)
    {
        Description = "The private key of --tls-cert (PEM)",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string?> TlsCa { get; } = new(TlsFiles.CaOption)
    {
        Description = "The CA (PEM) every agent's certificate must be signed by",
        HelpName = "FILE",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(TlsCertificate);
        root.Options.Add(TlsKey);
        root.Options.Add(TlsCa);
        root.Options.Add(Json);
        root.Options.Add(DataDirectory);
        root.Options.Add(NodeName);
        root.Options.Add(Node);
        root.Options.Add(NodesFile);
        root.Options.Add(On);
        root.Options.Add(All);
        root.Options.Add(ConsoleHost);
    }

    /// <summary>The local node (embedded agent) or the selected remote nodes; a bad node option is a usage error.</summary>
    public AgentTarget Target(ParseResult parseResult) => Target(parseResult, everyNode: false);

    /// <param name="everyNode">Select every configured node unless --on narrows it (for commands that only look).</param>
    public AgentTarget Target(ParseResult parseResult, bool everyNode)
    {
        NodeRegistry registry;
        IReadOnlyList<NodeAddress> selected;
        try
        {
            registry = NodeRegistry.Load(parseResult.GetValue(Node) ?? [], parseResult.GetValue(NodesFile) ?? []);
            selected = registry.IsEmpty ? [] : registry.Select(parseResult.GetValue(On) ?? [], parseResult.GetValue(All) || (everyNode && (parseResult.GetValue(On) ?? []).Length == 0));
        }
        catch (NodeSelectionException e)
        {
            throw new UsageException(e.Message);
        }

        if (registry.IsEmpty && ((parseResult.GetValue(On) ?? []).Length > 0 || parseResult.GetValue(All)))
        {
            throw new UsageException("--on and --all choose among nodes given by --node or --nodes, and none is given");
        }

        var tls = TlsDefaults.Resolve(
            parseResult.GetValue(TlsCertificate), parseResult.GetValue(TlsKey), parseResult.GetValue(TlsCa), out var tlsProblem);
        if (tlsProblem is not null)
        {
            throw new UsageException(tlsProblem);
        }

        return new AgentTarget(
            Path.GetFullPath(parseResult.GetValue(DataDirectory) ?? AgentOptions.DefaultDataDirectory()),
            selected.Count == 1 ? selected[0].Name : parseResult.GetValue(NodeName) ?? Environment.MachineName,
            selected,
            parseResult.GetValue(ConsoleHost),
            tls);
    }
}
