using System.Globalization;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Rendering;

/// <summary>The interfaces of a node as a table.</summary>
public static class InterfacesRenderer
{
    public static Table Render(InterfaceListing listing)
    {
        var table = new Table().AddColumns("Name", "State", "Addresses", "MTU", "Link", "Capturable");
        foreach (var nic in listing.Interfaces)
        {
            table.AddRow(
                Markup.Escape(nic.Name),
                nic.IsUp ? "up" : "down",
                Markup.Escape(nic.Addresses.Count > 0 ? string.Join(", ", nic.Addresses) : "-"),
                nic.Mtu?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(nic.LinkType),
                nic.Capturable ? "yes" : "no");
        }

        return table;
    }
}
