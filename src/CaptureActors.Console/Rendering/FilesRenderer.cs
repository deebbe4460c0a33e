using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Rendering;

/// <summary>The capture files of a node as a table.</summary>
public static class FilesRenderer
{
    public static Table Render(FileListing listing)
    {
        var table = new Table().AddColumns("Name", "Interface", "Size", "Packets", "First packet", "Last packet", "State");
        table.Columns[2].RightAligned();
        table.Columns[3].RightAligned();
        foreach (var file in listing.Files)
        {
            table.AddRow(
                Markup.Escape(file.Name),
                Markup.Escape(file.Interface),
                ByteSize.Format(file.SizeBytes),
                file.Packets is { } packets ? TextFormat.Number(packets) : "-",
                TextFormat.Time(file.FirstPacketAt),
                TextFormat.Time(file.LastPacketAt),
                TextFormat.State(file.State));
        }

        return table;
    }
}
