using System.Globalization;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Rendering;

/// <summary><c>etherconfig</c>'s views as tables: the columns of the view asked for.</summary>
public static class EtherconfigRenderer
{
    private const string NotApplicable = "n/a";

    public static Table Render(EtherconfigReport report)
    {
        var table = report.View switch
        {
            EtherconfigView.Media => Media(report.Interfaces),
            EtherconfigView.Vlan => Vlan(report.Interfaces),
            EtherconfigView.Loopback => Loopback(report.Interfaces),
            EtherconfigView.Mtu => Mtu(report.Interfaces),
            _ => Multicast(report.Interfaces),
        };
        if (report.Interfaces.Count == 0)
        {
            table.Caption(report.View == EtherconfigView.Vlan ? "no VLAN interfaces" : "no interfaces");
        }

        return table;
    }

    private static Table Media(IReadOnlyList<EtherInterface> interfaces)
    {
        var table = new Table().AddColumns("INTERFACE", "KIND", "STATE", "SPEED", "DUPLEX", "AUTONEG", "LINK", "DRIVER");
        foreach (var i in interfaces)
        {
            var m = i.Media;
            table.AddRow(
                Markup.Escape(i.Name),
                Markup.Escape(i.Kind),
                Markup.Escape(i.State),
                m.SpeedMbps is { } speed ? $"{Number(speed)}Mb/s" : NotApplicable,
                m.Duplex ?? NotApplicable,
                OnOff(m.AutoNegotiation),
                m.LinkDetected is { } link ? (link ? "yes" : "no") : NotApplicable,
                Markup.Escape(m.Driver ?? NotApplicable));
        }

        return table;
    }

    private static Table Vlan(IReadOnlyList<EtherInterface> interfaces)
    {
        var table = new Table().AddColumns("INTERFACE", "PARENT", "VLAN ID", "STATE", "MTU", "ADDRESSES");
        foreach (var i in interfaces)
        {
            table.AddRow(
                Markup.Escape(i.Name),
                Markup.Escape(i.Vlan?.Parent ?? "?"),
                i.Vlan is { } vlan ? Number(vlan.VlanId) : "?",
                Markup.Escape(i.State),
                Number(i.Mtu),
                Addresses(i));
        }

        return table;
    }

    private static Table Loopback(IReadOnlyList<EtherInterface> interfaces)
    {
        var table = new Table().AddColumns("INTERFACE", "STATE", "MTU", "ADDRESSES");
        foreach (var i in interfaces)
        {
            table.AddRow(Markup.Escape(i.Name), Markup.Escape(i.State), Number(i.Mtu), Addresses(i));
        }

        return table;
    }

    private static Table Mtu(IReadOnlyList<EtherInterface> interfaces)
    {
        var table = new Table().AddColumns("INTERFACE", "KIND", "MTU", "MIN", "MAX");
        foreach (var i in interfaces)
        {
            table.AddRow(
                Markup.Escape(i.Name),
                Markup.Escape(i.Kind),
                Number(i.Mtu),
                i.MinMtu is { } min ? Number(min) : "-",
                i.MaxMtu is { } max ? Number(max) : "-");
        }

        return table;
    }

    private static Table Multicast(IReadOnlyList<EtherInterface> interfaces)
    {
        var table = new Table().AddColumns("INTERFACE", "MULTICAST", "ALLMULTI", "ARP_ACCEPT", "ARP_NOTIFY", "ARP_IGNORE");
        foreach (var i in interfaces)
        {
            var m = i.Multicast;
            table.AddRow(
                Markup.Escape(i.Name),
                m.Multicast ? "on" : "off",
                m.AllMulticast ? "on" : "off",
                Setting(m.ArpAccept),
                Setting(m.ArpNotify),
                Setting(m.ArpIgnore));
        }

        return table;
    }

    private static string Addresses(EtherInterface i) =>
        Markup.Escape(i.Addresses.Count == 0 ? "-" : string.Join(", ", i.Addresses));

    private static string OnOff(bool? value) => value is { } on ? (on ? "on" : "off") : NotApplicable;

    private static string Setting(int? value) => value is { } v ? Number(v) : NotApplicable;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
