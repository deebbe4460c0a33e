using System.CommandLine;
using CaptureActors.Agent.Hosting;
using CaptureActors.Console.Agent;

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

    public void AddTo(Command root)
    {
        root.Options.Add(Json);
        root.Options.Add(DataDirectory);
        root.Options.Add(NodeName);
    }

    public AgentTarget Target(ParseResult parseResult) => new(
        Path.GetFullPath(parseResult.GetValue(DataDirectory) ?? AgentOptions.DefaultDataDirectory()),
        parseResult.GetValue(NodeName) ?? Environment.MachineName);
}
