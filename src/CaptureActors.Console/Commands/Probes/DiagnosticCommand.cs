using System.CommandLine;

namespace CaptureActors.Console.Commands.Probes;

/// <summary>
/// <c>diagnostic network ...</c>: the appliance's network diagnostics (smtpping, arpshow, ndpshow, flush), one
/// subcommand per probe.
/// </summary>
public static class DiagnosticCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var network = new Command("network", "Network diagnostics run on the node: SMTP reachability, neighbour tables, caches");
        AddSmtpPing(runtime, network);
        DiagnosticNetworkNeighbourCommands.AddTo(network, runtime);

        var diagnostic = new Command("diagnostic", "Diagnostics run on the node");
        diagnostic.Subcommands.Add(network);
        return diagnostic;
    }

    /// <summary>Adds <c>smtpping</c> to the <c>network</c> group.</summary>
    public static void AddSmtpPing(CommandRuntime runtime, Command network) =>
        network.Subcommands.Add(SmtpPingCommand.Create(runtime));
}
