using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;

namespace CaptureActors.Protocol.Serialization;

/// <summary>
/// The wire format of every <see cref="ICaptureProtocol"/> message (design.md §6, "Wire safety").
/// <list type="bullet">
/// <item>An explicit allow-list maps short, stable manifests (<c>"StartCapture"</c>) to our record types; a manifest
/// not in the list is refused with a <see cref="SerializationException"/>. No type name is ever read from the wire.</item>
/// <item>Records are System.Text.Json (camelCase, enums as camelCase strings, no polymorphism, no <c>$type</c>);
/// JSON can only produce the declared property types of our records; a payload with a <c>$</c> metadata property
/// (<c>$type</c> …) is refused whole (<see cref="JsonMetadataGuard"/>).</item>
/// <item>Data-less messages (<see cref="GetCaptureStatus.Instance"/> …) travel as zero bytes and arrive as the singleton.</item>
/// <item><see cref="FileChunk"/> uses a small binary layout (<see cref="FileChunkFormat"/>) so 64 KiB chunks are not inflated by base64.</item>
/// <item><see cref="IActorRef"/> fields travel as serialized actor paths and are resolved by the receiving system.</item>
/// </list>
/// </summary>
public sealed class ProtocolSerializer : SerializerWithStringManifest
{
    /// <summary>
    /// Our serializer id. Akka reserves 0–100 for itself; 4711 is unused by Akka.NET and its common plugins.
    /// It is part of the wire format: never change it, and never reuse it for another serializer.
    /// </summary>
    public const int SerializerIdentifier = 4711;

    /// <summary>The allow-list: manifest ⇄ type for every message that may cross the wire. Manifests never change once shipped.</summary>
    private static readonly FrozenDictionary<string, Type> TypesByManifest = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        // CaptureCommands.cs
        ["StartCapture"] = typeof(StartCapture),
        ["StopCapture"] = typeof(StopCapture),
        ["GetCaptureStatus"] = typeof(GetCaptureStatus),
        ["GetSetup"] = typeof(GetSetup),
        ["UpdateSetup"] = typeof(UpdateSetup),
        ["CheckFilter"] = typeof(CheckFilter),

        // CaptureEvents.cs
        ["CaptureStarted"] = typeof(CaptureStarted),
        ["CaptureRejected"] = typeof(CaptureRejected),
        ["CaptureStopped"] = typeof(CaptureStopped),
        ["CaptureStatus"] = typeof(CaptureStatus),
        ["SetupReport"] = typeof(SetupReport),
        ["FilterChecked"] = typeof(FilterChecked),

        // FileMessages.cs
        ["ListFiles"] = typeof(ListFiles),
        ["FileListing"] = typeof(FileListing),
        ["DeleteFiles"] = typeof(DeleteFiles),
        ["ClearFiles"] = typeof(ClearFiles),
        ["FilesDeleted"] = typeof(FilesDeleted),
        ["KeepFiles"] = typeof(KeepFiles),
        ["FilesKept"] = typeof(FilesKept),
        ["ReadFileChunk"] = typeof(ReadFileChunk),
        ["FileChunk"] = typeof(FileChunk),
        ["OpenDownload"] = typeof(OpenDownload),
        ["DownloadTicket"] = typeof(DownloadTicket),

        // AgentMessages.cs
        ["ListInterfaces"] = typeof(ListInterfaces),
        ["InterfaceListing"] = typeof(InterfaceListing),
        ["IdentifyAgent"] = typeof(IdentifyAgent),
        ["AgentIdentity"] = typeof(AgentIdentity),

        // SessionMessages.cs
        ["OpenSession"] = typeof(OpenSession),
        ["SessionChallenge"] = typeof(SessionChallenge),
        ["SessionProof"] = typeof(SessionProof),
        ["SessionGranted"] = typeof(SessionGranted),
        ["AuthorizedRequest"] = typeof(AuthorizedRequest),

        // ErrorCode.cs
        ["CommandFailed"] = typeof(CommandFailed),

        // Probes/ProbeMessages.cs
        ["CancelProbe"] = typeof(CancelProbe),
        ["ProbeFailed"] = typeof(ProbeFailed),

        // Probes/SocketMessages.cs
        ["ListTcpServices"] = typeof(ListTcpServices),
        ["TcpServicesReport"] = typeof(TcpServicesReport),

        // Probes/NetstatMessages.cs
        ["ListNetstatSockets"] = typeof(ListNetstatSockets),
        ["NetstatSocketsReport"] = typeof(NetstatSocketsReport),
        ["ListNetstatInterfaces"] = typeof(ListNetstatInterfaces),
        ["NetstatInterfacesReport"] = typeof(NetstatInterfacesReport),
        ["ListNetstatRoutes"] = typeof(ListNetstatRoutes),
        ["NetstatRoutesReport"] = typeof(NetstatRoutesReport),
        ["ListNetstatListenQueues"] = typeof(ListNetstatListenQueues),
        ["NetstatListenReport"] = typeof(NetstatListenReport),
        ["WatchNetstatTraffic"] = typeof(WatchNetstatTraffic),
        ["TrafficSample"] = typeof(TrafficSample),
        ["NetstatTrafficReport"] = typeof(NetstatTrafficReport),
        // Probes/SmtpMessages.cs
        ["SmtpPing"] = typeof(SmtpPing),
        ["SmtpPhaseCompleted"] = typeof(SmtpPhaseCompleted),
        ["SmtpPingReport"] = typeof(SmtpPingReport),
        // Probes/NeighbourMessages.cs
        ["ShowNeighbours"] = typeof(ShowNeighbours),
        ["NeighbourReport"] = typeof(NeighbourReport),
        ["FlushCaches"] = typeof(FlushCaches),
        ["FlushReport"] = typeof(FlushReport),

        // Probes/EtherconfigMessages.cs
        ["ShowEtherconfig"] = typeof(ShowEtherconfig),
        ["EtherconfigReport"] = typeof(EtherconfigReport),
        ["SetMtu"] = typeof(SetMtu),
        ["AddVlan"] = typeof(AddVlan),
        ["RemoveVlan"] = typeof(RemoveVlan),
        ["EtherconfigChanged"] = typeof(EtherconfigChanged),
        // Probes/PingMessages.cs
        ["PingHost"] = typeof(PingHost),
        ["PingStarted"] = typeof(PingStarted),
        ["PingResponse"] = typeof(PingResponse),
        ["PingSummary"] = typeof(PingSummary),

        // Probes/TracerouteMessages.cs
        ["Traceroute"] = typeof(Traceroute),
        ["TracerouteStarted"] = typeof(TracerouteStarted),
        ["TracerouteHopDone"] = typeof(TracerouteHopDone),
        ["TracerouteReport"] = typeof(TracerouteReport),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, string> ManifestsByType =
        TypesByManifest.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>Messages without data: sent as zero bytes, read back as the one instance.</summary>
    private static readonly FrozenDictionary<Type, object> Singletons = new Dictionary<Type, object>
    {
        [typeof(GetCaptureStatus)] = GetCaptureStatus.Instance,
        [typeof(GetSetup)] = GetSetup.Instance,
        [typeof(ListFiles)] = ListFiles.Instance,
        [typeof(ClearFiles)] = ClearFiles.Instance,
        [typeof(ListInterfaces)] = ListInterfaces.Instance,
        [typeof(IdentifyAgent)] = IdentifyAgent.Instance,
    }.ToFrozenDictionary();

    private readonly JsonSerializerOptions _json;

    public ProtocolSerializer(ExtendedActorSystem system)
        : base(system)
    {
        _json = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            IgnoreReadOnlyProperties = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            NumberHandling = JsonNumberHandling.Strict,
            MaxDepth = 16,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters =
            {
                new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
                new ActorRefJsonConverter(system),
            },
        };
        _json.MakeReadOnly();
    }

    public override int Identifier => SerializerIdentifier;

    /// <summary>The allow-list, manifest → type (for tests and diagnostics).</summary>
    public static IReadOnlyDictionary<string, Type> AllowedTypes => TypesByManifest;

    public override string Manifest(object o) =>
        ManifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"{o.GetType()} is not a CaptureActors protocol message: add it to ProtocolSerializer's allow-list");

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        if (!ManifestsByType.ContainsKey(type))
        {
            throw new SerializationException($"{type} is not a CaptureActors protocol message: add it to ProtocolSerializer's allow-list");
        }

        return obj switch
        {
            _ when Singletons.ContainsKey(type) => [],
            FileChunk chunk => FileChunkFormat.Write(chunk),
            _ => JsonSerializer.SerializeToUtf8Bytes(obj, type, _json),
        };
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!TypesByManifest.TryGetValue(manifest, out var type))
        {
            throw new SerializationException(
                $"Unknown CaptureActors protocol manifest '{Printable(manifest)}' ({bytes.Length} bytes): the message is dropped. " +
                "The sender runs a newer or foreign protocol, or the message was forged.");
        }

        if (Singletons.TryGetValue(type, out var singleton))
        {
            return bytes.Length == 0
                ? singleton
                : throw new SerializationException($"'{manifest}' carries no data, but {bytes.Length} bytes arrived");
        }

        if (type == typeof(FileChunk))
        {
            return FileChunkFormat.Read(bytes);
        }

        try
        {
            JsonMetadataGuard.Check(bytes, manifest, _json.MaxDepth);
            return JsonSerializer.Deserialize(bytes, type, _json)
                ?? throw new SerializationException($"'{manifest}' payload is JSON null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new SerializationException($"'{manifest}' payload ({bytes.Length} bytes) is not a valid {type.Name}: {e.Message}", e);
        }
    }

    /// <summary>A manifest from the wire as safe text for a log line: at most 100 characters, control characters escaped.</summary>
    private static string Printable(string manifest)
    {
        var shown = manifest.Length > 100 ? manifest[..100] + "…" : manifest;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
