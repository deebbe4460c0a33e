using Akka.Actor;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Security;

/// <summary>
/// What the audit log keeps of a request (its key arguments) and of its reply (result, error code, what it did). Every
/// string from the request is bounded (<see cref="TextBounds.Bounded"/>: its start and its length), lists keep their
/// first 100 items and a count, and a reason its first <see cref="MaxReasonLength"/> characters: an audit line stays a
/// few KiB whatever a request carried (a filter up to its limit is kept whole).
/// </summary>
public static class AuditDetails
{
    /// <summary>Characters kept of one argument string (a file name, an id, a host); a filter keeps up to its own limit.</summary>
    public const int MaxArgumentLength = 256;

    /// <summary>Characters kept of a refusal's or failure's reason.</summary>
    public const int MaxReasonLength = 4096;

    private const int ListedItems = 100;

    public static IReadOnlyDictionary<string, object?>? Arguments(ICaptureProtocol request) => request switch
    {
        StartCapture s => new Dictionary<string, object?>
        {
            ["captureId"] = Text(s.CaptureId),
            ["interfaces"] = List(s.Options.Interfaces),
            ["filter"] = Filter(s.Options.Filter),
            ["detached"] = s.Detached,
            ["startAt"] = s.StartAt,
            ["claimedOwner"] = Text(s.Owner.ToString()),
        },
        StopCapture s => new Dictionary<string, object?> { ["captureId"] = Text(s.CaptureId) },
        UpdateSetup u => new Dictionary<string, object?>
        {
            ["interfaces"] = List(u.Options.Interfaces),
            ["filter"] = Filter(u.Options.Filter),
            ["snapLength"] = u.Options.SnapLength,
            ["maxFileSizeBytes"] = u.Options.MaxFileSizeBytes,
            ["maxDuration"] = u.Options.MaxDuration?.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["ringFiles"] = u.Options.RingFiles,
        },
        DeleteFiles d => new Dictionary<string, object?> { ["files"] = List(d.Names), ["count"] = d.Names.Count },
        KeepFiles k => new Dictionary<string, object?> { ["files"] = List(k.Names), ["count"] = k.Names.Count, ["keep"] = k.Keep },
        ReadFileChunk r => new Dictionary<string, object?> { ["file"] = Text(r.Name), ["offset"] = r.Offset, ["transport"] = "chunks" },
        OpenDownload o => new Dictionary<string, object?> { ["file"] = Text(o.Name), ["offset"] = o.Offset, ["transport"] = "download-channel" },
        SetMtu m => new Dictionary<string, object?> { ["interface"] = Text(m.Interface), ["mtu"] = m.Mtu },
        AddVlan v => new Dictionary<string, object?> { ["parent"] = Text(v.Parent), ["vlanId"] = v.VlanId },
        RemoveVlan v => new Dictionary<string, object?> { ["interface"] = Text(v.Interface) },
        PingHost p => new Dictionary<string, object?> { ["host"] = Text(p.Host) },
        Traceroute t => new Dictionary<string, object?> { ["host"] = Text(t.Host) },
        SmtpPing s => new Dictionary<string, object?> { ["target"] = Text(s.Target) },
        _ => null,
    };

    /// <summary>The result of a reply: ok or error, the error code and message, and what was done.</summary>
    public static (string Result, string? Code, string? Reason, IReadOnlyDictionary<string, object?>? Outcome) Of(object reply) => reply switch
    {
        CommandFailed f => ("error", Code(f.Code), Reason(f.Message), null),
        ProbeFailed f => ("error", Code(f.Code), Reason(f.Message), null),
        CaptureRejected r => ("error", Code(r.Code), Reason(r.Message), null),
        Status.Failure f => ("error", Code(ErrorCode.Internal), Reason(f.Cause.Message), null),
        CaptureStarted s => ("ok", null, null, new Dictionary<string, object?> { ["captureId"] = s.Status.CaptureId, ["interfaces"] = s.Status.Settings?.Interfaces }),
        CaptureStopped s => ("ok", null, null, new Dictionary<string, object?> { ["wasRunning"] = s.WasRunning, ["captureId"] = s.Status.CaptureId }),
        FilesDeleted d => (d.Refused.Count == 0 ? "ok" : d.Deleted.Count == 0 ? "error" : "partial", null, d.Refused.Count == 0 ? null : Reason(d.Refused),
            new Dictionary<string, object?> { ["deleted"] = List(d.Deleted), ["deletedCount"] = d.Deleted.Count, ["refusedCount"] = d.Refused.Count }),
        FilesKept k => (k.Refused.Count == 0 ? "ok" : k.Changed.Count == 0 ? "error" : "partial", null, k.Refused.Count == 0 ? null : Reason(k.Refused),
            new Dictionary<string, object?> { ["changed"] = List(k.Changed), ["keep"] = k.Keep, ["refusedCount"] = k.Refused.Count }),
        DownloadTicket t => ("ok", null, null, new Dictionary<string, object?> { ["bytes"] = t.Length }),
        FileChunk c => ("ok", null, null, new Dictionary<string, object?> { ["fileSize"] = c.FileSize }),
        EtherconfigChanged c => ("ok", null, null, new Dictionary<string, object?> { ["interface"] = c.Interface, ["change"] = c.Change }),
        _ => ("ok", null, null, null),
    };

    /// <summary>A reason as the audit line keeps it: its first <see cref="MaxReasonLength"/> characters.</summary>
    public static string Reason(string reason) => TextBounds.Bounded(reason, MaxReasonLength);

    private static string Reason(IReadOnlyList<FileRefusal> refused) =>
        Reason(string.Join("; ", refused.Take(20).Select(r => r.Name.Length == 0 ? r.Message : $"{Text(r.Name)}: {r.Message}")));

    private static string? Text(string? text) => text is null ? null : TextBounds.Bounded(text, MaxArgumentLength);

    private static string? Filter(string? filter) => filter is null ? null : TextBounds.Bounded(filter, CaptureSettings.MaxFilterLength);

    private static List<string>? List(IReadOnlyList<string>? items) => items?.Take(ListedItems).Select(i => TextBounds.Bounded(i, MaxArgumentLength)).ToList();

    public static string Code(ErrorCode code) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(code.ToString());
}
