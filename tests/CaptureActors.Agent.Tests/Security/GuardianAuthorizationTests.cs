using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using CaptureActors.Agent.Security;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;
using CaptureActors.Protocol.Serialization;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests.Security;

/// <summary>
/// The guardian with authorization on (TLS files and roles): the handshake, requests in <see cref="AuthorizedRequest"/>s,
/// refusals naming the missing role, and the audit log they leave.
/// </summary>
public sealed class GuardianAuthorizationTests : AgentTestKit, IClassFixture<SessionCertificates>
{
    private readonly SessionCertificates _certificates;

    public GuardianAuthorizationTests(SessionCertificates certificates, ITestOutputHelper output)
        : base(AgentTestHost.Start(tls: certificates.Agent, hocon: SessionCertificates.Roles), output)
    {
        _certificates = certificates;
    }

    private string AuditPath => Path.Combine(Agent.Options.DataDirectory, AuditLog.DefaultFileName);

    private List<JsonElement> AuditLines() =>
        [.. File.ReadAllLines(AuditPath).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>Proves <paramref name="who"/>'s certificate from <paramref name="session"/>, as capturectl's session proxy does.</summary>
    private object Prove(TestProbe session, TlsCredentials who, TlsCredentials? key = null)
    {
        Guardian.Tell(new OpenSession(Owner()), session);
        var challenge = session.ExpectMsg<SessionChallenge>(Wait);
        Guardian.Tell(SessionCertificates.Proof(challenge, who, session.Ref.Path.ToString(), key), session);
        return session.ExpectMsg<object>(Wait);
    }

    private AuthorizedRequest Envelope(byte[] token, ICaptureProtocol request)
    {
        var serializer = new ProtocolSerializer((ExtendedActorSystem)Sys);
        return new AuthorizedRequest(token, serializer.Manifest(request), serializer.ToBinary(request));
    }

    [Fact]
    public void A_viewer_reads_status_but_is_refused_start_download_delete_and_flush_naming_the_role_and_every_refusal_is_audited()
    {
        var session = CreateTestProbe();
        var granted = Assert.IsType<SessionGranted>(Prove(session, _certificates.Viewer));
        Assert.Equal(AgentRole.Viewer, granted.Role);

        Guardian.Tell(Envelope(granted.Token, GetCaptureStatus.Instance), TestActor);
        Assert.Equal(CaptureState.Idle, ExpectMsg<CaptureStatus>(Wait).State);

        Guardian.Tell(Envelope(granted.Token, new StartCapture(new CaptureOptions(Interfaces: ["lo"]), Owner(), true)), TestActor);
        var refused = ExpectMsg<CommandFailed>(Wait);
        Assert.Equal(ErrorCode.Forbidden, refused.Code);
        Assert.Equal("node1: refused: packetcapture start needs role operator; CN=viewer, O=CaptureActors dev has viewer", refused.Message);

        Guardian.Tell(Envelope(granted.Token, new OpenDownload("node1_lo_x.pcap", 0)), TestActor);
        Assert.Contains("packetcapture download needs role operator", ExpectMsg<CommandFailed>(Wait).Message);
        Guardian.Tell(Envelope(granted.Token, new DeleteFiles(["node1_lo_x.pcap"])), TestActor);
        Assert.Contains("packetcapture delete needs role operator", ExpectMsg<CommandFailed>(Wait).Message);
        Guardian.Tell(Envelope(granted.Token, new FlushCaches("f-1")), TestActor);
        var flush = ExpectMsg<ProbeFailed>(Wait);
        Assert.Equal(("f-1", ErrorCode.Forbidden), (flush.ProbeId, flush.Code));

        var refusals = AuditLines().Where(l => l.GetProperty("result").GetString() == "refused").ToList();
        Assert.Equal(["packetcapture start", "packetcapture download", "packetcapture delete", "diagnostic network flush"], refusals.Select(l => l.GetProperty("what").GetString()));
        Assert.All(refusals, l =>
        {
            Assert.Equal("CN=viewer, O=CaptureActors dev", l.GetProperty("who").GetString());
            Assert.True(l.GetProperty("authenticated").GetBoolean());
            Assert.Equal("forbidden", l.GetProperty("code").GetString());
        });
        Assert.Equal(["lo"], refusals[0].GetProperty("arguments").GetProperty("interfaces").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(AuditLines(), l => l.GetProperty("what").GetString() == "packetcapture status"); // polls are not audited
    }

    [Fact]
    public async Task An_operator_starts_and_stops_and_the_audit_log_has_both_with_subject_and_result()
    {
        var session = CreateTestProbe();
        var granted = Assert.IsType<SessionGranted>(Prove(session, _certificates.Console));
        Assert.Equal(AgentRole.Operator, granted.Role);

        Guardian.Tell(Envelope(granted.Token, new StartCapture(new CaptureOptions(Interfaces: ["lo"], Filter: "udp"), Owner(), true)), TestActor);
        var started = ExpectMsg<CaptureStarted>(Wait);
        Guardian.Tell(Envelope(granted.Token, new StopCapture(started.Status.CaptureId)), TestActor);
        ExpectMsg<CaptureStopped>(Wait);

        await AwaitAssertAsync(() => Assert.Equal(2, AuditLines().Count(l => l.GetProperty("what").GetString()!.StartsWith("packetcapture st", StringComparison.Ordinal))), Wait);
        var lines = AuditLines();
        var start = lines.Single(l => l.GetProperty("what").GetString() == "packetcapture start");
        Assert.Equal("CN=console, O=CaptureActors dev", start.GetProperty("who").GetString());
        Assert.Equal("operator", start.GetProperty("role").GetString());
        Assert.Equal("ok", start.GetProperty("result").GetString());
        Assert.Equal("udp", start.GetProperty("arguments").GetProperty("filter").GetString());
        Assert.Equal(started.Status.CaptureId, start.GetProperty("outcome").GetProperty("captureId").GetString());
        Assert.Equal("ok", lines.Single(l => l.GetProperty("what").GetString() == "packetcapture stop").GetProperty("result").GetString());
        Assert.Contains(lines, l => l.GetProperty("what").GetString() == "session" && l.GetProperty("result").GetString() == "ok");
    }

    [Fact]
    public void Plain_requests_are_refused_except_the_identity_and_the_refusal_is_audited_as_unauthenticated()
    {
        Guardian.Tell(GetCaptureStatus.Instance, TestActor);
        var refused = ExpectMsg<CommandFailed>(Wait);
        Assert.Equal(ErrorCode.Forbidden, refused.Code);
        Assert.Equal("node1: refused: packetcapture status needs a proven identity: node1 checks certificates; run capturectl with --tls-cert, --tls-key and --tls-ca", refused.Message);

        Guardian.Tell(IdentifyAgent.Instance, TestActor);
        Assert.Equal("node1", ExpectMsg<AgentIdentity>(Wait).Node);

        var line = AuditLines().Single();
        Assert.False(line.GetProperty("authenticated").GetBoolean());
        Assert.Equal("refused", line.GetProperty("result").GetString());
    }

    [Fact]
    public void Proofs_from_another_ca_with_a_mismatched_key_or_for_a_subject_without_role_are_refused_and_audited()
    {
        var refusals = new[]
        {
            Prove(CreateTestProbe(), _certificates.OtherCaConsole),
            Prove(CreateTestProbe(), _certificates.Console, key: _certificates.Viewer),
            Prove(CreateTestProbe(), _certificates.Stranger),
        }.Select(r => Assert.IsType<CommandFailed>(r)).ToList();

        Assert.All(refusals, r => Assert.Equal(ErrorCode.Forbidden, r.Code));
        Assert.StartsWith("node1: refused: certificate CN=console, O=CaptureActors dev is not trusted by node1", refusals[0].Message);
        Assert.StartsWith("node1: refused: the proof of CN=console, O=CaptureActors dev does not hold", refusals[1].Message);
        Assert.StartsWith("node1: refused: CN=stranger, O=CaptureActors dev has no role on node1", refusals[2].Message);
        Assert.Equal(3, AuditLines().Count(l => l.GetProperty("what").GetString() == "session" && l.GetProperty("result").GetString() == "refused"));
    }

    [Fact]
    public async Task A_token_ends_with_its_session_actor_and_a_forged_token_is_refused()
    {
        var session = CreateTestProbe();
        var granted = Assert.IsType<SessionGranted>(Prove(session, _certificates.Console));
        Guardian.Tell(Envelope(new byte[32], GetCaptureStatus.Instance), TestActor);
        Assert.Contains("unknown session token", ExpectMsg<CommandFailed>(Wait).Message);

        Sys.Stop(session.Ref);

        await AwaitAssertAsync(() =>
        {
            Guardian.Tell(Envelope(granted.Token, GetCaptureStatus.Instance), TestActor);
            Assert.Contains("unknown session token", ExpectMsg<CommandFailed>(Wait).Message);
        }, Wait);
    }

    [Fact]
    public void An_envelope_holding_a_reply_or_another_envelope_is_refused()
    {
        var granted = Assert.IsType<SessionGranted>(Prove(CreateTestProbe(), _certificates.Console));

        Guardian.Tell(Envelope(granted.Token, new CommandFailed(ErrorCode.Internal, "x")), TestActor);
        Assert.Contains("'CommandFailed' is not a request", ExpectMsg<CommandFailed>(Wait).Message);
        Guardian.Tell(Envelope(granted.Token, Envelope(granted.Token, GetCaptureStatus.Instance)), TestActor);
        Assert.Contains("'AuthorizedRequest' is not a request", ExpectMsg<CommandFailed>(Wait).Message);
    }
}
