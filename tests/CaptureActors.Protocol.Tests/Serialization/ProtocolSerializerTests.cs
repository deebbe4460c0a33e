using System.Diagnostics;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using CaptureActors.Protocol.Serialization;
using Xunit.Abstractions;

namespace CaptureActors.Protocol.Tests.Serialization;

public sealed class ProtocolSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly ITestOutputHelper _output;

    public ProtocolSerializerTests(ITestOutputHelper output)
        : base(output: output)
    {
        _output = output;
    }

    /// <summary>The wire names. They are part of the protocol: a shipped manifest never changes or disappears.</summary>
    private static readonly string[] PinnedManifests =
    [
        "StartCapture", "StopCapture", "GetCaptureStatus", "GetSetup", "UpdateSetup", "CheckFilter",
        "CaptureStarted", "CaptureRejected", "CaptureStopped", "CaptureStatus", "SetupReport", "FilterChecked",
        "ListFiles", "FileListing", "DeleteFiles", "ClearFiles", "FilesDeleted", "ReadFileChunk", "FileChunk",
        "OpenDownload", "DownloadTicket",
        "KeepFiles", "FilesKept",
        "ListInterfaces", "InterfaceListing", "IdentifyAgent", "AgentIdentity",
        "OpenSession", "SessionChallenge", "SessionProof", "SessionGranted", "AuthorizedRequest",
        "CommandFailed",
        "CancelProbe", "ProbeFailed",
        "ListTcpServices", "TcpServicesReport",
        "ListNetstatSockets", "NetstatSocketsReport", "ListNetstatInterfaces", "NetstatInterfacesReport", "ListNetstatRoutes", "NetstatRoutesReport",
        "ListNetstatListenQueues", "NetstatListenReport", "WatchNetstatTraffic", "TrafficSample", "NetstatTrafficReport",
        "SmtpPing", "SmtpPhaseCompleted", "SmtpPingReport",
        "ShowNeighbours", "NeighbourReport", "FlushCaches", "FlushReport",
        "ShowEtherconfig", "EtherconfigReport", "SetMtu", "AddVlan", "RemoveVlan", "EtherconfigChanged",
        "PingHost", "PingStarted", "PingResponse", "PingSummary",
        "Traceroute", "TracerouteStarted", "TracerouteHopDone", "TracerouteReport",
    ];

    private ProtocolSerializer Serializer => new((ExtendedActorSystem)Sys);

    public static TheoryData<string> Manifests => [.. ProtocolSerializer.AllowedTypes.Keys.Order(StringComparer.Ordinal)];

    private object Roundtrip(object message)
    {
        var serializer = Serializer;
        var manifest = serializer.Manifest(message);
        return serializer.FromBinary(serializer.ToBinary(message), manifest);
    }

    private ICaptureProtocol Sample(string manifest) =>
        ProtocolSamples.All(TestActor).Single(m => m.GetType() == ProtocolSerializer.AllowedTypes[manifest]);

    [Fact]
    public void Allow_list_holds_every_protocol_type_of_the_assembly()
    {
        var protocolTypes = typeof(ICaptureProtocol).Assembly.GetTypes()
            .Where(t => typeof(ICaptureProtocol).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

        Assert.Equal(protocolTypes, ProtocolSerializer.AllowedTypes.Values.OrderBy(t => t.FullName, StringComparer.Ordinal));
        Assert.All(ProtocolSerializer.AllowedTypes.Values, t => Assert.True(t.IsSealed, $"{t} must be sealed"));
    }

    [Fact]
    public void Manifests_are_the_pinned_short_names()
    {
        Assert.Equal(PinnedManifests.Order(StringComparer.Ordinal), ProtocolSerializer.AllowedTypes.Keys.Order(StringComparer.Ordinal));
        Assert.All(ProtocolSerializer.AllowedTypes, pair => Assert.Equal(pair.Value.Name, pair.Key));
    }

    [Fact]
    public void Samples_cover_every_allow_listed_type_with_every_field_set()
    {
        var samples = ProtocolSamples.All(TestActor);
        Assert.Equal(ProtocolSerializer.AllowedTypes.Count, samples.Select(s => s.GetType()).Distinct().Count());
        foreach (var sample in samples)
        {
            var nulls = Structure.Walk(sample).Where(node => node.Value is null).Select(node => node.Path).ToList();
            Assert.True(nulls.Count == 0, $"{sample.GetType().Name} sample leaves {string.Join(", ", nulls)} null");
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_message_round_trips_by_value(string manifest)
    {
        var message = Sample(manifest);

        var back = Roundtrip(message);

        Assert.IsType(message.GetType(), back);
        Assert.Equal(Structure.Of(message), Structure.Of(back));
        Assert.Equal(manifest, Serializer.Manifest(message));
    }

    [Fact]
    public void Data_less_messages_are_empty_on_the_wire_and_arrive_as_the_singleton()
    {
        object[] singletons = [GetCaptureStatus.Instance, GetSetup.Instance, ListFiles.Instance, ClearFiles.Instance, ListInterfaces.Instance, IdentifyAgent.Instance];
        foreach (var message in singletons)
        {
            Assert.Empty(Serializer.ToBinary(message));
            Assert.Same(message, Roundtrip(message));
        }
    }

    [Fact]
    public void Owner_session_resolves_to_the_same_actor()
    {
        var start = new StartCapture(CaptureOptions.None, new CaptureOwner("bob", "h", 1, "shell"), false, TestActor);

        var back = (StartCapture)Roundtrip(start);

        Assert.Equal(TestActor, back.OwnerSession);
        back.OwnerSession!.Tell("hello");
        ExpectMsg("hello");
    }

    [Fact]
    public void Missing_optional_fields_stay_null()
    {
        var start = new StartCapture(CaptureOptions.None, new CaptureOwner("bob", "h", 1, "shell"), true);

        var back = (StartCapture)Roundtrip(start);

        Assert.Null(back.OwnerSession);
        Assert.Null(back.CaptureId);
        Assert.Equal(Structure.Of(start), Structure.Of(back));
    }

    [Fact]
    public void Json_is_camel_case_with_enums_as_strings_and_no_type_names()
    {
        var json = Encoding.UTF8.GetString(Serializer.ToBinary(new CaptureRejected(ErrorCode.AlreadyRunning, "busy")));

        Assert.Equal("""{"code":"alreadyRunning","message":"busy","running":null}""", json);
    }

    [Fact]
    public void Computed_properties_are_not_sent()
    {
        var json = Encoding.UTF8.GetString(Serializer.ToBinary(Sample("CaptureStatus")));

        Assert.DoesNotContain("totalPacketsWritten", json, StringComparison.Ordinal);
        Assert.Contains("\"stopReason\":\"durationReached\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_64_KiB_file_chunk_is_compact_binary_far_below_the_frame_size()
    {
        var chunk = (FileChunk)Sample("FileChunk");

        var bytes = Serializer.ToBinary(chunk);
        var asJson = JsonSerializer.SerializeToUtf8Bytes(chunk);
        _output.WriteLine($"FileChunk with {chunk.Data.Length} data bytes and a {chunk.Name.Length}-character name: {bytes.Length} bytes binary, {asJson.Length} bytes as JSON with base64");

        Assert.Equal(26 + Encoding.UTF8.GetByteCount(chunk.Name) + chunk.Data.Length, bytes.Length);
        Assert.True(bytes.Length < 128_000, $"{bytes.Length} bytes would not fit Akka.Remote's default maximum-frame-size");
    }

    [Fact]
    public void An_empty_last_chunk_round_trips()
    {
        var chunk = new FileChunk("a.pcap", 4096, [], 4096, true);

        var back = (FileChunk)Roundtrip(chunk);

        Assert.Equal(Structure.Of(chunk), Structure.Of(back));
    }

    [Theory]
    [InlineData("StartCapturex")]
    [InlineData("startcapture")]
    [InlineData("CaptureActors.Protocol.StartCapture, CaptureActors.Protocol")]
    [InlineData("System.Diagnostics.Process, System")]
    [InlineData("")]
    public void Unknown_manifest_is_refused_by_name(string manifest)
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary("{}"u8.ToArray(), manifest));

        Assert.Contains($"Unknown CaptureActors protocol manifest '{manifest}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_outside_the_allow_list_is_not_serialized()
    {
        Assert.Throws<SerializationException>(() => Serializer.Manifest(new NotOurs("x")));
        Assert.Throws<SerializationException>(() => Serializer.ToBinary(new NotOurs("x")));
    }

    public static TheoryData<string, string> Gadgets => new()
    {
        { "CommandFailed", """{"$type":"System.Diagnostics.Process, System","code":"internal","message":"calc"}""" },
        { "CommandFailed", """{"code":"internal","message":{"$type":"System.Diagnostics.Process, System","StartInfo":{"FileName":"/bin/sh"}}}""" },
        { "SetupReport", """{"node":"n","settings":{"$type":"System.Diagnostics.Process, System","StartInfo":{"FileName":"/bin/sh","Arguments":"-c id"}}}""" },
        { "SetupReport", """{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework","node":"n","settings":{"interfaces":["eth0"],"filter":"","snapLength":1,"maxFileSizeBytes":null,"maxDuration":null,"ringFiles":null,"promiscuous":true}}""" },
        { "DeleteFiles", """{"names":[{"$type":"System.Diagnostics.Process, System"}]}""" },
        { "FilesDeleted", """{"deleted":[],"refused":[{"$type":"System.Diagnostics.Process, System","name":"a","code":"ioError","message":"m"}]}""" },
        { "StartCapture", """{"options":{},"owner":{"user":"u","host":"h","processId":1,"client":"c"},"detached":false,"ownerSession":{"$type":"System.Diagnostics.Process, System"}}""" },
        { "CaptureStatus", """{"$id":"1","$values":[],"node":"n","state":"idle","captureId":null,"owner":null,"detached":false,"settings":null,"startedAt":null,"stoppedAt":null,"elapsed":"00:00:00","stopReason":null,"error":null,"interfaces":[]}""" },
    };

    [Theory]
    [MemberData(nameof(Gadgets))]
    public void Type_names_in_the_payload_never_instantiate_anything_outside_the_protocol(string manifest, string json)
    {
        object? result = null;
        try
        {
            result = Serializer.FromBinary(Encoding.UTF8.GetBytes(json), manifest);
        }
        catch (SerializationException e)
        {
            _output.WriteLine($"refused: {e.Message}");
        }

        if (result is null)
        {
            return;
        }

        _output.WriteLine($"read as {Structure.Of(result)}");
        Assert.IsType(ProtocolSerializer.AllowedTypes[manifest], result);
        foreach (var (path, value) in Structure.Walk(result).Where(node => node.Value is not null))
        {
            var type = value!.GetType();
            var allowed = Structure.IsPlainData(type) || Structure.IsOurs(type) || value is IActorRef ||
                          (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && Structure.IsOurs(type.GetGenericArguments()[0]) || type == typeof(List<string>));
            Assert.True(allowed, $"{path} is a {type}");
        }
    }

    [Fact]
    public void Protocol_types_hold_no_open_ended_properties()
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(ProtocolSerializer.AllowedTypes.Values);
        while (pending.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
                {
                    propertyType = propertyType.GetGenericArguments()[0];
                }

                if (Structure.IsPlainData(propertyType) || propertyType == typeof(IActorRef))
                {
                    continue;
                }

                Assert.True(Structure.IsOurs(propertyType) && propertyType.IsSealed, $"{type.Name}.{property.Name} is a {propertyType}: only sealed protocol types and plain data may travel");
                pending.Enqueue(propertyType);
            }
        }
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "CommandFailed", "null" },
        { "CommandFailed", "[]" },
        { "CommandFailed", "" },
        { "CommandFailed", """{"code":"ioError"}""" },
        { "CommandFailed", """{"code":"ioError","message":null}""" },
        { "CommandFailed", """{"code":9,"message":"m"}""" },
        { "CommandFailed", """{"code":"noSuchCode","message":"m"}""" },
        { "CommandFailed", """{"code":"ioError","message":"m"} trailing""" },
        { "ReadFileChunk", """{"name":"a","offset":"12","maxBytes":1}""" },
        { "DeleteFiles", """{"names":[null]}x""" },
        { "GetCaptureStatus", "{}" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_json_is_refused(string manifest, string json)
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(Encoding.UTF8.GetBytes(json), manifest));
        _output.WriteLine(error.Message);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Random_bytes_are_refused_quickly(string manifest)
    {
        var random = new Random(manifest.Length);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            var garbage = new byte[random.Next(1, 4096)];
            random.NextBytes(garbage);
            garbage[0] = (byte)(garbage[0] | 0x80); // never a valid JSON start nor FileChunk version 1
            Assert.Throws<SerializationException>(() => Serializer.FromBinary(garbage, manifest));
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"200 refusals took {watch.Elapsed}");
    }

    [Fact]
    public void Deep_or_huge_json_is_refused_without_hanging()
    {
        var watch = Stopwatch.StartNew();
        var deep = Encoding.UTF8.GetBytes("""{"node":"n","settings":""" + new string('[', 100_000));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(deep, "SetupReport"));

        var huge = Encoding.UTF8.GetBytes("""{"names":[""" + string.Join(',', Enumerable.Repeat("\"x\"", 1_000_000)) + "]");
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(huge, "DeleteFiles"));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    public static TheoryData<string, byte[]> BadChunks
    {
        get
        {
            var good = new FileChunkBytes("a.pcap", 10, [1, 2, 3], 13, true);
            return new()
            {
                { "truncated header", good.Build()[..20] },
                { "unknown version", good.With(b => b[0] = 2) },
                { "unknown flag", good.With(b => b[1] = 0x81) },
                { "negative offset", good.With(b => BitConverter.TryWriteBytes(b.AsSpan(2), -1L)) },
                { "negative file size", good.With(b => BitConverter.TryWriteBytes(b.AsSpan(10), long.MinValue)) },
                { "name longer than the message", good.With(b => BitConverter.TryWriteBytes(b.AsSpan(18), int.MaxValue)) },
                { "negative name length", good.With(b => BitConverter.TryWriteBytes(b.AsSpan(18), -5)) },
                { "data length beyond the message", good.With(b => BitConverter.TryWriteBytes(b.AsSpan(28), 1 << 30)) },
                { "negative data length", good.With(b => BitConverter.TryWriteBytes(b.AsSpan(28), -1)) },
                { "trailing bytes", [.. good.Build(), 0] },
                { "name not UTF-8", good.With(b => b[22] = 0xff) },
            };
        }
    }

    [Theory]
    [MemberData(nameof(BadChunks))]
    public void Malformed_file_chunks_are_refused(string why, byte[] bytes)
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "FileChunk"));
        _output.WriteLine($"{why}: {error.Message}");
    }

    [Fact]
    public void File_chunk_layout_is_as_documented()
    {
        var bytes = Serializer.ToBinary(new FileChunk("a.pcap", 10, [1, 2, 3], 13, true));

        Assert.Equal(new FileChunkBytes("a.pcap", 10, [1, 2, 3], 13, true).Build(), bytes);
    }

    private sealed record NotOurs(string Text);

    /// <summary>The documented FileChunk layout, built independently of the serializer.</summary>
    private sealed record FileChunkBytes(string Name, long Offset, byte[] Data, long FileSize, bool EndOfFile)
    {
        public byte[] Build()
        {
            var name = Encoding.UTF8.GetBytes(Name);
            return
            [
                1, EndOfFile ? (byte)1 : (byte)0,
                .. BitConverter.GetBytes(Offset), .. BitConverter.GetBytes(FileSize),
                .. BitConverter.GetBytes(name.Length), .. name,
                .. BitConverter.GetBytes(Data.Length), .. Data,
            ];
        }

        public byte[] With(Action<byte[]> change)
        {
            var bytes = Build();
            change(bytes);
            return bytes;
        }
    }
}
