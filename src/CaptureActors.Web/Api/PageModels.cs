using CaptureActors.Protocol;

namespace CaptureActors.Web.Api;

// What the page's JSON API sends and takes: plain records in the page's terms (text for people beside raw numbers).

public sealed record OverviewView(DateTimeOffset ServerTime, IReadOnlyList<NodeView> Nodes);

public sealed record NodeView(
    string Name,
    string Endpoint,
    bool Reachable,
    string? Error,
    string? Version,
    double? ClockOffsetMilliseconds,
    double? RoundTripMilliseconds,
    CaptureView? Capture);

public sealed record CaptureView(
    string? CaptureId,
    string State,
    string? StopReason,
    string? Owner,
    string? OwnerClient,
    bool Detached,
    bool OtherProcess,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    double ElapsedSeconds,
    string Elapsed,
    long FileBytes,
    string FileSize,
    long Packets,
    long Drops,
    string? Filter,
    string? Error,
    IReadOnlyList<InterfaceView> Interfaces);

public sealed record InterfaceView(string Name, string State, string? CurrentFile, long FileBytes, long Packets, long Drops, int Files);

public sealed record InterfaceChoice(string Name, bool IsUp, IReadOnlyList<string> Addresses, bool Capturable);

/// <summary>The settings form: sizes and durations as people type them (<c>200MB</c>, <c>30m</c>); empty keeps the node's setting, <c>none</c> removes a limit.</summary>
public sealed record SettingsForm(
    IReadOnlyList<string>? Interfaces,
    string? Filter,
    string? MaxSize,
    string? Duration,
    string? Ring);

public sealed record SettingsView(string Node, IReadOnlyList<string> Interfaces, string Filter, string MaxSize, string Duration, string Ring);

public sealed partial record StartRequest(IReadOnlyList<string> Nodes, IReadOnlyDictionary<string, IReadOnlyList<string>>? Interfaces, SettingsForm Settings);

public sealed partial record NodesRequest(IReadOnlyList<string> Nodes);

public sealed partial record SetupRequest(IReadOnlyList<string> Nodes, IReadOnlyDictionary<string, IReadOnlyList<string>>? Interfaces, SettingsForm Settings);

/// <summary>One node's part of an action: done, or why not; <paramref name="Field"/> names the form field the error belongs to.</summary>
public sealed record NodeOutcome(string Node, bool Ok, string? Message, string? Field, string? CaptureId = null);

/// <summary>An action over nodes. <paramref name="FieldErrors"/>: messages per form field (<c>filter</c>, <c>interfaces</c>, <c>maxSize</c>, <c>duration</c>, <c>ring</c>).</summary>
public sealed record ActionResult(bool Ok, string? CaptureId, IReadOnlyList<NodeOutcome> Nodes, IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors);

public sealed record FileView(
    string Node,
    string Name,
    string? CaptureId,
    string Interface,
    long SizeBytes,
    string Size,
    long? Packets,
    DateTimeOffset? FirstPacketAt,
    DateTimeOffset? LastPacketAt,
    DateTimeOffset ModifiedAt,
    string State,
    string? Sha256);

public sealed record FilesView(IReadOnlyList<FileView> Files, IReadOnlyList<string> Errors);

public sealed record FileRef(string Node, string Name);

public sealed partial record DeleteRequest(IReadOnlyList<FileRef> Files);

public sealed record DeleteResult(IReadOnlyList<FileRef> Deleted, IReadOnlyList<string> Errors);

/// <summary>An error answer: what failed, the node's error code when a node refused, the request body's field that was wrong.</summary>
public sealed record ErrorView(string Error, string? Code, string? Field = null);

internal static class Views
{
    public static string Kebab(string name) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(name);

    public static string Elapsed(TimeSpan elapsed) =>
        elapsed.TotalHours >= 1
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours}:{elapsed.Minutes:00}:{elapsed.Seconds:00}")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{elapsed.Minutes:00}:{elapsed.Seconds:00}");

    public static CaptureView Capture(CaptureStatus status) => new(
        status.CaptureId,
        Kebab(status.State.ToString()),
        status.StopReason?.ToText(),
        status.Owner?.ToString(),
        status.Owner?.Client,
        status.Detached,
        status.OtherProcess,
        status.StartedAt,
        status.StoppedAt,
        status.Elapsed.TotalSeconds,
        Elapsed(status.Elapsed),
        status.TotalFileBytes,
        ByteSize.Format(status.TotalFileBytes),
        status.TotalPacketsWritten,
        status.TotalKernelDropped,
        status.Settings?.Filter,
        status.Error,
        [.. status.Interfaces.Select(i => new InterfaceView(
            i.Interface, Kebab(i.State.ToString()), i.CurrentFile, i.FileSizeBytes, i.PacketsWritten, i.KernelDropped + i.InterfaceDropped, i.Files))]);

    public static FileView File(string node, CaptureFileInfo file) => new(
        node,
        file.Name,
        file.CaptureId,
        file.Interface,
        file.SizeBytes,
        ByteSize.Format(file.SizeBytes),
        file.Packets,
        file.FirstPacketAt,
        file.LastPacketAt,
        file.ModifiedAt,
        Kebab(file.State.ToString()),
        file.Sha256);

    public static SettingsView Settings(string node, CaptureSettings settings) => new(
        node,
        settings.Interfaces,
        settings.Filter,
        settings.MaxFileSizeBytes is { } size ? ByteSize.Format(size).Replace(" ", "", StringComparison.Ordinal) : SettingsFormReader.None,
        settings.MaxDuration is { } duration ? DurationText.Format(duration) : SettingsFormReader.None,
        settings.RingFiles?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? SettingsFormReader.None);
}
