using System.Globalization;
using CaptureActors.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CaptureActors.Console.Rendering;

/// <summary>Capture status for people: a summary line and one table row per interface.</summary>
public static class StatusRenderer
{
    public static IRenderable Render(CaptureStatus status)
    {
        var rows = new List<IRenderable> { new Text(Summary(status)) };
        if (status.Interfaces.Count > 0)
        {
            rows.Add(Table(status));
            rows.AddRange(GapsRenderer.Lines(status).Select(line => new Text(line)));
        }

        if (status.Disk is { } disk)
        {
            rows.Add(new Text(Disk(disk)));
        }

        return new Rows(rows);
    }

    /// <summary>The disk guard's view: <c>disk: 70.1 GB free (floor 5.0 GB), capture files 1.2 MB (quota none), headroom 65.1 GB</c>.</summary>
    public static string Disk(DiskHeadroom disk) =>
        $"disk: {ByteSize.Format(disk.FreeBytes)} free (floor {(disk.FloorBytes > 0 ? ByteSize.Format(disk.FloorBytes) : "none")}), "
        + $"capture files {ByteSize.Format(disk.CaptureBytes)} (quota {(disk.QuotaBytes is { } quota ? ByteSize.Format(quota) : "none")}), "
        + $"headroom {ByteSize.Format(disk.HeadroomBytes)}";

    public static string Summary(CaptureStatus status)
    {
        if (status.CaptureId is null)
        {
            return $"node {status.Node}: {TextFormat.State(status.State)}, no capture";
        }

        var parts = new List<string>
        {
            $"node {status.Node}: capture {status.CaptureId} {TextFormat.State(status.State)}",
        };
        if (status.StopReason is { } reason)
        {
            parts.Add($"stop reason {reason.ToText()}");
        }

        if (status.Owner is { } owner)
        {
            parts.Add($"owner {owner}");
        }

        parts.Add(status.Detached ? "detached" : "attached");
        if (status.OtherProcess)
        {
            parts.Add("in another process");
        }

        parts.Add($"started {TextFormat.Time(status.StartedAt)}");
        if (AgentRestartText.Describe(status) is { } restarts)
        {
            parts.Add(restarts);
        }

        if (status.StoppedAt is { } stopped)
        {
            parts.Add($"stopped {TextFormat.Time(stopped)}");
        }

        if (status.Settings is { } settings)
        {
            parts.Add(TextFormat.Settings(settings));
        }

        if (status.Error is { } error)
        {
            parts.Add($"error: {error}");
        }

        return string.Join(", ", parts);
    }

    public static Table Table(CaptureStatus status)
    {
        var table = new Table().AddColumns("Interface", "State", "Elapsed", "File", "Size", "Packets", "Drops", "Restarts");
        table.Columns[4].RightAligned();
        table.Columns[5].RightAligned();
        table.Columns[6].RightAligned();
        table.Columns[7].RightAligned();
        foreach (var row in status.Interfaces)
        {
            var state = TextFormat.State(row.State) + (row.StopReason is { } reason ? $" ({reason.ToText()})" : "");
            table.AddRow(
                Markup.Escape(row.Interface),
                Markup.Escape(state),
                TextFormat.Elapsed(status.Elapsed),
                Markup.Escape(row.CurrentFile is { } file ? Path.GetFileName(file) : "-"),
                ByteSize.Format(row.CurrentFileSizeBytes ?? row.FileSizeBytes),
                TextFormat.Number(row.PacketsWritten),
                TextFormat.Number(row.KernelDropped + row.InterfaceDropped),
                TextFormat.Number(row.Restarts));
        }

        return table;
    }

    /// <summary>One plain progress line for pipes and logs.</summary>
    public static string ProgressLine(CaptureStatus status) => string.Create(
        CultureInfo.InvariantCulture,
        $"{TextFormat.State(status.State)} elapsed {TextFormat.Elapsed(status.Elapsed)} size {ByteSize.Format(status.TotalFileBytes)} packets {status.TotalPacketsWritten} drops {status.TotalKernelDropped}");
}
