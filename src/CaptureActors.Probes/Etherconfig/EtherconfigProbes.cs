using System.Globalization;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Etherconfig;

/// <summary>
/// <c>etherconfig</c>: the views (media, vlan, loopback, mtu, multicast) and the changes (<c>mtu set</c>, <c>vlan add</c>,
/// <c>vlan remove</c>). Changes are checked here, on the node, against its real interfaces: the interface exists, the
/// value is within the device's limits, and the interface does not carry the agent's own link (<see cref="AgentLink"/>).
/// A change is not cancelled half-way: it is one <c>ip</c> call of milliseconds.
/// </summary>
public static class EtherconfigProbes
{
    /// <summary>IPv4's smallest MTU (RFC 791) and the largest an IP packet can use.</summary>
    public const int MinMtu = 68;
    public const int MaxMtu = 65535;

    public const int MinVlanId = 1;
    public const int MaxVlanId = 4094;

    /// <summary>Longest interface name the kernel accepts (IFNAMSIZ - 1).</summary>
    public const int MaxInterfaceName = 15;

    public static async Task<IProbeResult> ShowAsync(InterfaceTable table, ShowEtherconfig command, ProbeContext context)
    {
        var interfaces = await table.ReadAsync(context.CancellationToken).ConfigureAwait(false);
        var shown = command.View switch
        {
            EtherconfigView.Vlan => [.. interfaces.Where(i => i.Vlan is not null)],
            EtherconfigView.Loopback => [.. interfaces.Where(i => i.Kind == "loopback")],
            _ => interfaces,
        };
        return new EtherconfigReport(command.ProbeId, command.View, shown);
    }

    public static async Task<IProbeResult> SetMtuAsync(InterfaceTable table, SetMtu command, ProbeContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var links = await table.ReadLinksAsync(CancellationToken.None).ConfigureAwait(false);
        var link = Find(links, command.Interface);
        Guard(links, table.Environment, link, $"changing the MTU of {link.Name}");
        var min = link.MinMtu ?? MinMtu;
        var max = link.MaxMtu ?? MaxMtu;
        if (command.Mtu < Math.Max(min, MinMtu) || command.Mtu > Math.Min(max, MaxMtu))
        {
            throw new ProbeException(
                ErrorCode.InvalidArgument,
                $"MTU {Text(command.Mtu)} is outside what {link.Name} accepts ({Text(Math.Max(min, MinMtu))}..{Text(Math.Min(max, MaxMtu))})");
        }

        await table.Ip.RunAsync(["link", "set", "dev", link.Name, "mtu", Text(command.Mtu)], CancellationToken.None).ConfigureAwait(false);
        var after = Find(await table.ReadLinksAsync(CancellationToken.None).ConfigureAwait(false), link.Name).Mtu;
        return new EtherconfigChanged(command.ProbeId, link.Name, $"mtu {Text(link.Mtu)} -> {Text(after)}");
    }

    public static async Task<IProbeResult> AddVlanAsync(InterfaceTable table, AddVlan command, ProbeContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        if (command.VlanId is < MinVlanId or > MaxVlanId)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"VLAN id {Text(command.VlanId)} is out of range ({Text(MinVlanId)}..{Text(MaxVlanId)})");
        }

        var links = await table.ReadLinksAsync(CancellationToken.None).ConfigureAwait(false);
        var parent = Find(links, command.Parent);
        if (parent.IsLoopback)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"{parent.Name} is a loopback interface: VLANs go on Ethernet interfaces");
        }

        // A VLAN on the agent's own interface is allowed: creating it changes nothing on the parent.
        var name = $"{parent.Name}.{Text(command.VlanId)}";
        if (name.Length > MaxInterfaceName)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"the VLAN interface name '{name}' is longer than the kernel's {Text(MaxInterfaceName)} characters");
        }

        if (links.FirstOrDefault(l => l.Name == name) is { } existing)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"{name} already exists{(existing.Vlan is { } v ? $" (VLAN {Text(v.VlanId)} on {v.Parent})" : "")}");
        }

        if (links.FirstOrDefault(l => l.Vlan is { } v && v.Parent == parent.Name && v.VlanId == command.VlanId) is { } same)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"VLAN {Text(command.VlanId)} on {parent.Name} already exists as {same.Name}");
        }

        try
        {
            await table.Ip.RunAsync(["link", "add", "link", parent.Name, "name", name, "type", "vlan", "id", Text(command.VlanId)], CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (ProbeException e) when (e.Message.Contains("Unknown device type", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProbeException(ErrorCode.DeviceError, "this node's kernel has no 802.1Q VLAN support (the 8021q module is not built or not loadable)", e);
        }

        return new EtherconfigChanged(command.ProbeId, name, $"VLAN {Text(command.VlanId)} added on {parent.Name} as {name} (down until configured)");
    }

    public static async Task<IProbeResult> RemoveVlanAsync(InterfaceTable table, RemoveVlan command, ProbeContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var links = await table.ReadLinksAsync(CancellationToken.None).ConfigureAwait(false);
        var vlans = links.Where(l => l.IsVlan).Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
        var link = links.FirstOrDefault(l => l.Name == command.Interface)
            ?? throw new ProbeException(ErrorCode.UnknownInterface, $"no interface '{command.Interface}' on this node; VLAN interfaces: {List(vlans)}");
        if (link.Vlan is not { } vlan)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"{link.Name} is not a VLAN interface ({link.InfoKind ?? link.LinkType}); VLAN interfaces: {List(vlans)}");
        }

        Guard(links, table.Environment, link, $"removing {link.Name}");
        await table.Ip.RunAsync(["link", "del", "dev", link.Name], CancellationToken.None).ConfigureAwait(false);
        return new EtherconfigChanged(command.ProbeId, link.Name, $"VLAN {Text(vlan.VlanId)} removed from {vlan.Parent}");
    }

    /// <summary>The interface named <paramref name="name"/>, or a failure listing the valid names.</summary>
    public static LinkRecord Find(IReadOnlyList<LinkRecord> links, string name) =>
        links.FirstOrDefault(l => l.Name == name)
        ?? throw new ProbeException(
            ErrorCode.UnknownInterface,
            $"no interface '{name}' on this node; interfaces: {List(links.Select(l => l.Name).Order(StringComparer.Ordinal))}");

    private static void Guard(IReadOnlyList<LinkRecord> links, ProbeEnvironment environment, LinkRecord link, string what)
    {
        if (AgentLink.Protected(links, environment.AgentLinkAddresses).TryGetValue(link.Name, out var reason))
        {
            throw new ProbeException(ErrorCode.Refused, $"refused: {what} could cut this node off: {reason}");
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var list = string.Join(", ", names);
        return list.Length == 0 ? "(none)" : list;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
