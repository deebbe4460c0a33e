using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands.Probes;

/// <summary><c>diagnostic network arpshow</c>, <c>ndpshow</c> and <c>flush --yes</c>: the node's neighbour caches.</summary>
public static class NeighbourCommands
{
    public static Command ArpShow(CommandRuntime runtime) =>
        Show(runtime, "arpshow", "Show the IPv4 ARP cache: address, MAC, interface, state", NeighbourFamily.Ipv4);

    public static Command NdpShow(CommandRuntime runtime) =>
        Show(runtime, "ndpshow", "Show the IPv6 neighbour (NDP) cache: address, MAC, interface, state, router flag", NeighbourFamily.Ipv6);

    public static Command Flush(CommandRuntime runtime)
    {
        var yes = new Option<bool>("--yes") { Description = "Confirm the change: flushing empties the node's ARP and NDP caches and its DNS cache" };
        var command = new Command("flush", "Flush the ARP and NDP caches (permanent entries stay) and the agent's DNS cache; needs --yes");
        command.Options.Add(yes);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            parse => parse.GetValue(yes)
                ? id => new FlushCaches(id)
                : throw new UsageException("flush changes the node: add --yes"),
            new FlushOutput(),
            cancellationToken));
        return command;
    }

    private static Command Show(CommandRuntime runtime, string name, string description, NeighbourFamily family)
    {
        var command = new Command(name, description);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            _ => id => new ShowNeighbours(id, family),
            new ShowOutput(),
            cancellationToken));
        return command;
    }

    private sealed class ShowOutput : ProbeOutput<NeighbourReport>
    {
        public override void Render(AppIo io, NeighbourReport result) =>
            io.CreateConsole().Write(NeighbourRenderer.Render(result));
    }

    private sealed class FlushOutput : ProbeOutput<FlushReport>
    {
        public override void Render(AppIo io, FlushReport result)
        {
            foreach (var line in NeighbourRenderer.FlushLines(result))
            {
                io.Out.WriteLine(line);
            }
        }
    }
}
