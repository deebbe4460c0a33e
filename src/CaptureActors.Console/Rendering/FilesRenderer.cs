using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Rendering;

/// <summary>The capture files of one node, or of several with a Node column, as a table.</summary>
public static class FilesRenderer
{
    public static Table Render(FileListing listing) => Render([(listing.Node, listing, null)], nodeColumn: false);

    /// <param name="nodes">Each node's listing, or the error that stands in its place.</param>
    public static Table Render(IEnumerable<(string Node, FileListing? Listing, string? Error)> nodes, bool nodeColumn)
    {
        string[] columns = ["Name", "Interface", "Size", "Packets", "First packet", "Last packet", "State"];
        var table = new Table().AddColumns(nodeColumn ? ["Node", .. columns] : columns);
        var first = nodeColumn ? 1 : 0;
        table.Columns[first + 2].RightAligned();
        table.Columns[first + 3].RightAligned();
        foreach (var (node, listing, error) in nodes)
        {
            string[] lead = nodeColumn ? [Markup.Escape(node)] : [];
            if (listing is null)
            {
                table.AddRow([.. lead, Markup.Escape(error ?? "-"), "", "", "", "", "", ""]);
                continue;
            }

            foreach (var file in listing.Files)
            {
                table.AddRow(
                [
                    .. lead,
                    Markup.Escape(file.Name),
                    Markup.Escape(file.Interface),
                    ByteSize.Format(file.SizeBytes),
                    file.Packets is { } packets ? TextFormat.Number(packets) : "-",
                    TextFormat.Time(file.FirstPacketAt),
                    TextFormat.Time(file.LastPacketAt),
                    TextFormat.State(file.State) + (file.Kept ? ", keep" : ""),
                ]);
            }
        }

        return table;
    }
}
