using System.Globalization;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Rendering;

/// <summary>A node's stored capture setup as key/value rows.</summary>
public static class SetupRenderer
{
    public static Table Render(SetupReport report)
    {
        var settings = report.Settings;
        var table = new Table().AddColumns("Setting", "Value");
        table.AddRow("node", Markup.Escape(report.Node));
        table.AddRow("interfaces", Markup.Escape(string.Join(", ", settings.Interfaces)));
        table.AddRow("filter", Markup.Escape(settings.Filter.Length > 0 ? settings.Filter : "(none)"));
        table.AddRow("snaplen", settings.SnapLength.ToString(CultureInfo.InvariantCulture));
        table.AddRow("max-size", settings.MaxFileSizeBytes is { } size ? ByteSize.Format(size) : "none");
        table.AddRow("duration", settings.MaxDuration is { } duration ? DurationText.Format(duration) : "none");
        table.AddRow("ring", settings.RingFiles?.ToString(CultureInfo.InvariantCulture) ?? "none");
        table.AddRow("promiscuous", settings.Promiscuous ? "yes" : "no");
        return table;
    }
}
