using Akka.Actor;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Security;

/// <summary>What the audit log keeps of a request (its key arguments) and of its reply (result, error code, what it did).</summary>
public static class AuditDetails
{
    public static IReadOnlyDictionary<string, object?>? Arguments(ICaptureProtocol request) => request switch
    {
        StartCapture s => new Dictionary<string, object?>
        {
            ["captureId"] = s.CaptureId,
            ["interfaces"] = s.Options.Interfaces,
            ["filter"] = s.Options.Filter,
            ["detached"] = s.Detached,
            ["startAt"] = s.StartAt,
            ["claimedOwner"] = s.Owner.ToString(),
        },
        StopCapture s => new Dictionary<string, object?> { ["captureId"] = s.CaptureId },
        UpdateSetup u => new Dictionary<string, object?>
        {
            ["interfaces"] = u.Options.Interfaces,
            ["filter"] = u.Options.Filter,
            ["snapLength"] = u.Options.SnapLength,
            ["maxFileSizeBytes"] = u.Options.MaxFileSizeBytes,
            ["maxDuration"] = u.Options.MaxDuration?.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["ringFiles"] = u.Options.RingFiles,
        },
        DeleteFiles d => new Dictionary<string, object?> { ["files"] = d.Names.Take(100).ToList(), ["count"] = d.Names.Count },
        KeepFiles k => new Dictionary<string, object?> { ["files"] = k.Names.Take(100).ToList(), ["count"] = k.Names.Count, ["keep"] = k.Keep },
        ReadFileChunk r => new Dictionary<string, object?> { ["file"] = r.Name, ["offset"] = r.Offset, ["transport"] = "chunks" },
        OpenDownload o => new Dictionary<string, object?> { ["file"] = o.Name, ["offset"] = o.Offset, ["transport"] = "download-channel" },
        SetMtu m => new Dictionary<string, object?> { ["interface"] = m.Interface, ["mtu"] = m.Mtu },
        AddVlan v => new Dictionary<string, object?> { ["parent"] = v.Parent, ["vlanId"] = v.VlanId },
        RemoveVlan v => new Dictionary<string, object?> { ["interface"] = v.Interface },
        PingHost p => new Dictionary<string, object?> { ["host"] = p.Host },
        Traceroute t => new Dictionary<string, object?> { ["host"] = t.Host },
        SmtpPing s => new Dictionary<string, object?> { ["target"] = s.Target },
        _ => null,
    };

    /// <summary>The result of a reply: ok or error, the error code and message, and what was done.</summary>
    public static (string Result, string? Code, string? Reason, IReadOnlyDictionary<string, object?>? Outcome) Of(object reply) => reply switch
    {
        CommandFailed f => ("error", Code(f.Code), f.Message, null),
        ProbeFailed f => ("error", Code(f.Code), f.Message, null),
        CaptureRejected r => ("error", Code(r.Code), r.Message, null),
        Status.Failure f => ("error", Code(ErrorCode.Internal), f.Cause.Message, null),
        CaptureStarted s => ("ok", null, null, new Dictionary<string, object?> { ["captureId"] = s.Status.CaptureId, ["interfaces"] = s.Status.Settings?.Interfaces }),
        CaptureStopped s => ("ok", null, null, new Dictionary<string, object?> { ["wasRunning"] = s.WasRunning, ["captureId"] = s.Status.CaptureId }),
        FilesDeleted d => (d.Refused.Count == 0 ? "ok" : d.Deleted.Count == 0 ? "error" : "partial", null, d.Refused.Count == 0 ? null : string.Join("; ", d.Refused.Take(20).Select(r => $"{r.Name}: {r.Message}")),
            new Dictionary<string, object?> { ["deleted"] = d.Deleted.Take(100).ToList(), ["deletedCount"] = d.Deleted.Count, ["refusedCount"] = d.Refused.Count }),
        FilesKept k => (k.Refused.Count == 0 ? "ok" : k.Changed.Count == 0 ? "error" : "partial", null, k.Refused.Count == 0 ? null : string.Join("; ", k.Refused.Take(20).Select(r => $"{r.Name}: {r.Message}")),
            new Dictionary<string, object?> { ["changed"] = k.Changed.Take(100).ToList(), ["keep"] = k.Keep, ["refusedCount"] = k.Refused.Count }),
        DownloadTicket t => ("ok", null, null, new Dictionary<string, object?> { ["bytes"] = t.Length }),
        FileChunk c => ("ok", null, null, new Dictionary<string, object?> { ["fileSize"] = c.FileSize }),
        EtherconfigChanged c => ("ok", null, null, new Dictionary<string, object?> { ["interface"] = c.Interface, ["change"] = c.Change }),
        _ => ("ok", null, null, null),
    };

    public static string Code(ErrorCode code) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(code.ToString());
}
