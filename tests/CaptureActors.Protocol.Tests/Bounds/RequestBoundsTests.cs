using Akka.Actor;
using CaptureActors.Protocol.Tests.Serialization;

namespace CaptureActors.Protocol.Tests.Bounds;

/// <summary><see cref="RequestBounds"/>: every string, list and byte array a request carries is bounded, with a refusal naming the field and the limit.</summary>
public sealed class RequestBoundsTests
{
    private static readonly CaptureOwner Owner = new("alice", "ops-7", 4242, "capturectl");

    [Fact]
    public void Every_realistic_request_is_within_the_bounds()
    {
        var requests = ProtocolSamples.All(ActorRefs.Nobody)
            .Where(m => m is ICaptureCommand or IFileCommand or IProbeCommand or IAgentQuery or CancelProbe or OpenSession or SessionProof or AuthorizedRequest)
            .ToList();

        Assert.NotEmpty(requests);
        Assert.All(requests, request => Assert.Null(RequestBounds.Check(request)));
    }

    [Fact]
    public void A_file_name_over_255_bytes_is_refused_without_echoing_it()
    {
        var name = new string('a', 100_000) + ".pcap";

        var problem = RequestBounds.Check(new DeleteFiles(["ok_lo_20260101T000000Z_001.pcap", name]));

        Assert.NotNull(problem);
        Assert.Equal(ErrorCode.UnsafeFileName, problem.Code);
        Assert.Equal($"'{new string('a', 60)}…' (100,005 characters) is not a capture file name: it is 100,005 bytes long, at most 255 are allowed (DeleteFiles names[1])", problem.Message);
    }

    [Fact]
    public void File_names_count_bytes_not_characters()
    {
        Assert.Null(RequestBounds.Check(new ReadFileChunk(new string('é', 127), 0, 1)));
        Assert.Equal(ErrorCode.UnsafeFileName, RequestBounds.Check(new ReadFileChunk(new string('é', 128), 0, 1))?.Code);
        Assert.Equal(ErrorCode.UnsafeFileName, RequestBounds.Check(new OpenDownload(new string('x', 256), 0))?.Code);
        Assert.Equal(ErrorCode.UnsafeFileName, RequestBounds.Check(new KeepFiles([new string('x', 256)], true))?.Code);
    }

    public static TheoryData<ICaptureProtocol, string> OutOfBounds => new()
    {
        { new StartCapture(CaptureOptions.None, Owner with { User = new string('u', 1025) }, true), "StartCapture owner.user is 1,025 characters long: at most 1,024 are allowed" },
        { new StartCapture(CaptureOptions.None, Owner, true, CaptureId: new string('c', 65)), "StartCapture captureId is 65 characters long: at most 64 are allowed" },
        { new StartCapture(new CaptureOptions(Interfaces: [.. Enumerable.Repeat("lo", 257)]), Owner, true), "StartCapture options.interfaces has 257 items: at most 256 are allowed" },
        { new StartCapture(new CaptureOptions(Interfaces: ["lo", new string('i', 2000)]), Owner, true), "StartCapture options.interfaces[1] is 2,000 characters long: at most 1,024 are allowed" },
        { new UpdateSetup(new CaptureOptions(Interfaces: [.. Enumerable.Repeat("lo", 300)])), "UpdateSetup options.interfaces has 300 items: at most 256 are allowed" },
        { new StopCapture(new string('c', 100)), "StopCapture captureId is 100 characters long: at most 64 are allowed" },
        { new DeleteFiles([.. Enumerable.Repeat("x", 10_001)]), "DeleteFiles names has 10,001 items: at most 10,000 are allowed" },
        { new PingHost(new string('p', 65), "127.0.0.1", 1, TimeSpan.FromSeconds(1), 56, IcmpFamily.Any, TimeSpan.FromSeconds(1)), "PingHost probeId is 65 characters long: at most 64 are allowed" },
        { new PingHost("p1", new string('h', 5000), 1, TimeSpan.FromSeconds(1), 56, IcmpFamily.Any, TimeSpan.FromSeconds(1)), "PingHost host is 5,000 characters long: at most 1,024 are allowed" },
        { new SmtpPing("p1", "example.test", 25, new string('m', 2000), null, false, false, TimeSpan.FromSeconds(5), null), "SmtpPing mailFrom is 2,000 characters long: at most 1,024 are allowed" },
        { new OpenSession(Owner with { Host = new string('h', 4000) }), "OpenSession claimed.host is 4,000 characters long: at most 1,024 are allowed" },
        { new SessionProof(new byte[2000], [], []), "SessionProof nonce is 2,000 bytes long: at most 1,024 are allowed" },
        { new SessionProof([], new byte[20_000], []), "SessionProof certificate is 20,000 bytes long: at most 16,384 are allowed" },
        { new AuthorizedRequest([], new string('M', 2000), []), "AuthorizedRequest manifest is 2,000 characters long: at most 1,024 are allowed" },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public void A_field_over_its_bound_is_named_with_the_limit(ICaptureProtocol request, string expected)
    {
        var problem = RequestBounds.Check(request);

        Assert.NotNull(problem);
        Assert.Equal(ErrorCode.InvalidArgument, problem.Code);
        Assert.Equal(expected, problem.Message);
    }

    [Fact]
    public void Filters_and_payloads_are_left_to_their_own_checks()
    {
        // The filter: CaptureSettings.FilterProblem, so the node answers as for any bad filter; the payload: the frame, then its request.
        Assert.Null(RequestBounds.Check(new CheckFilter(new string('x', 200_000))));
        Assert.Null(RequestBounds.Check(new StartCapture(new CaptureOptions(Filter: new string('x', 200_000)), Owner, true)));
        Assert.Null(RequestBounds.Check(new AuthorizedRequest(new byte[32], "DeleteFiles", new byte[100_000])));
        Assert.Null(RequestBounds.Check(new SessionProof(new byte[32], new byte[8000], new byte[512])));
    }
}
