using System.Globalization;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Rendering;

/// <summary><c>arpshow</c> / <c>ndpshow</c> as a table, and <c>flush</c>'s summary lines.</summary>
public static class NeighbourRenderer
{
    public static Table Render(NeighbourReport report)
    {
        var ipv6 = report.Family == NeighbourFamily.Ipv6;
        var table = new Table().AddColumns("ADDRESS", "MAC", "INTERFACE", "STATE");
        if (ipv6)
        {
            table.AddColumn("ROUTER");
        }

        foreach (var entry in report.Entries)
        {
            var cells = new List<string>
            {
                Markup.Escape(entry.Address),
                Markup.Escape(entry.LinkAddress ?? "(incomplete)"),
                Markup.Escape(entry.Interface),
                Markup.Escape(entry.State),
            };
            if (ipv6)
            {
                cells.Add(entry.IsRouter ? "yes" : "no");
            }

            table.AddRow([.. cells]);
        }

        if (report.Entries.Count == 0)
        {
            table.Caption($"no {(ipv6 ? "NDP" : "ARP")} entries");
        }

        return table;
    }

    public static IReadOnlyList<string> FlushLines(FlushReport report) =>
    [
        $"arp cache: {Entries(report.Ipv4Removed)} removed{Kept(report.Ipv4Kept)}",
        $"ndp cache: {Entries(report.Ipv6Removed)} removed{Kept(report.Ipv6Kept)}",
        report.DnsCacheFlushed ? "dns cache: flushed" : "dns cache: none on this node",
    ];

    private static string Entries(int count) => count == 1 ? "1 entry" : $"{Count(count)} entries";

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Kept(int kept) => kept == 0 ? "" : $", {Count(kept)} kept (permanent or no-ARP)";
}
