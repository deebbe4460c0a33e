using System.CommandLine;

namespace CaptureActors.Console.Commands.Probes;

/// <summary>The neighbour-cache commands of <c>diagnostic network</c> (arpshow, ndpshow, flush), added to the group by whoever builds it.</summary>
public static class DiagnosticNetworkNeighbourCommands
{
    public static void AddTo(Command network, CommandRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Subcommands.Add(NeighbourCommands.ArpShow(runtime));
        network.Subcommands.Add(NeighbourCommands.NdpShow(runtime));
        network.Subcommands.Add(NeighbourCommands.Flush(runtime));
    }
}
