using System.CommandLine;
using System.Globalization;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands.Probes;

/// <summary>
/// <c>etherconfig media|vlan|loopback|mtu|multicast</c> (views) and <c>etherconfig mtu set IF N</c>,
/// <c>etherconfig vlan add IF ID</c>, <c>etherconfig vlan remove IF.ID</c> (changes, with <c>--yes</c>).
/// The console checks ranges; the node checks its interfaces, their limits and the agent's own link.
/// </summary>
public static class EtherconfigCommand
{
    public const int MinMtu = 68;
    public const int MaxMtu = 65535;
    public const int MinVlanId = 1;
    public const int MaxVlanId = 4094;

    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("etherconfig", "Ethernet settings of the node's interfaces: media, VLANs, loopback, MTU, multicast");

        var media = View(runtime, "media", "Per interface: speed, duplex, auto-negotiation, link detected, driver", EtherconfigView.Media);
        var vlan = View(runtime, "vlan", "VLAN interfaces with their parent and VLAN id", EtherconfigView.Vlan);
        var loopback = View(runtime, "loopback", "Loopback interfaces and their addresses", EtherconfigView.Loopback);
        var mtu = View(runtime, "mtu", "Every interface's MTU and the device's limits", EtherconfigView.Mtu);
        var multicast = View(runtime, "multicast", "Per interface: multicast flags and ARP settings (arp_accept, arp_notify, arp_ignore)", EtherconfigView.Multicast);

        mtu.Subcommands.Add(MtuSet(runtime));
        vlan.Subcommands.Add(VlanAdd(runtime));
        vlan.Subcommands.Add(VlanRemove(runtime));

        command.Subcommands.Add(media);
        command.Subcommands.Add(vlan);
        command.Subcommands.Add(loopback);
        command.Subcommands.Add(mtu);
        command.Subcommands.Add(multicast);
        return command;
    }

    private static Command View(CommandRuntime runtime, string name, string description, EtherconfigView view)
    {
        var command = new Command(name, description);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            _ => id => new ShowEtherconfig(id, view),
            new ViewOutput(),
            cancellationToken));
        return command;
    }

    private static Command MtuSet(CommandRuntime runtime)
    {
        var name = new Argument<string>("IF") { Description = "Interface name" };
        var value = new Argument<int>("MTU") { Description = $"New MTU ({MinMtu}..{MaxMtu}, and within the device's limits)" };
        var yes = Yes("changes the interface's MTU");
        var command = new Command("set", "Set an interface's MTU; needs --yes");
        command.Arguments.Add(name);
        command.Arguments.Add(value);
        command.Options.Add(yes);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            parse =>
            {
                var mtu = parse.GetValue(value);
                if (mtu is < MinMtu or > MaxMtu)
                {
                    throw new UsageException($"MTU {Text(mtu)} is out of range: allowed {Text(MinMtu)}..{Text(MaxMtu)}");
                }

                RequireYes(parse, yes, "mtu set");
                var interfaceName = InterfaceName(parse.GetValue(name));
                return id => new SetMtu(id, interfaceName, mtu);
            },
            new ChangeOutput(),
            cancellationToken));
        return command;
    }

    private static Command VlanAdd(CommandRuntime runtime)
    {
        var parent = new Argument<string>("IF") { Description = "The parent (Ethernet) interface" };
        var vlanId = new Argument<int>("ID") { Description = $"VLAN id ({MinVlanId}..{MaxVlanId}); the interface is named IF.ID" };
        var yes = Yes("creates a VLAN interface");
        var command = new Command("add", "Create the VLAN interface IF.ID on IF; needs --yes");
        command.Arguments.Add(parent);
        command.Arguments.Add(vlanId);
        command.Options.Add(yes);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            parse =>
            {
                var id = parse.GetValue(vlanId);
                if (id is < MinVlanId or > MaxVlanId)
                {
                    throw new UsageException($"VLAN id {Text(id)} is out of range: allowed {Text(MinVlanId)}..{Text(MaxVlanId)}");
                }

                RequireYes(parse, yes, "vlan add");
                var parentName = InterfaceName(parse.GetValue(parent));
                return probeId => new AddVlan(probeId, parentName, id);
            },
            new ChangeOutput(),
            cancellationToken));
        return command;
    }

    private static Command VlanRemove(CommandRuntime runtime)
    {
        var name = new Argument<string>("IF.ID") { Description = "The VLAN interface to delete (only VLAN interfaces are removed)" };
        var yes = Yes("deletes a VLAN interface");
        var command = new Command("remove", "Delete a VLAN interface; needs --yes");
        command.Arguments.Add(name);
        command.Options.Add(yes);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            parse =>
            {
                RequireYes(parse, yes, "vlan remove");
                var interfaceName = InterfaceName(parse.GetValue(name));
                return id => new RemoveVlan(id, interfaceName);
            },
            new ChangeOutput(),
            cancellationToken));
        return command;
    }

    private static Option<bool> Yes(string what) => new("--yes") { Description = $"Confirm the change: it {what} on the node" };

    private static void RequireYes(ParseResult parse, Option<bool> yes, string command)
    {
        if (!parse.GetValue(yes))
        {
            throw new UsageException($"{command} changes the node: add --yes");
        }
    }

    /// <summary>A plausible interface name (the node says whether it exists): 1..15 characters, no '/', no whitespace.</summary>
    private static string InterfaceName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 15 || name.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)) || name is "." or "..")
        {
            throw new UsageException($"'{name}' is not an interface name: 1 to 15 characters, no '/' or spaces");
        }

        return name;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class ViewOutput : ProbeOutput<EtherconfigReport>
    {
        public override void Render(AppIo io, EtherconfigReport result) =>
            io.CreateConsole().Write(EtherconfigRenderer.Render(result));
    }

    private sealed class ChangeOutput : ProbeOutput<EtherconfigChanged>
    {
        public override void Render(AppIo io, EtherconfigChanged result) =>
            io.Out.WriteLine($"{result.Interface}: {result.Change}");
    }
}
