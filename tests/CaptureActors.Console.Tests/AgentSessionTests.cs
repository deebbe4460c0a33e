using Akka.Actor;
using Akka.Event;
using CaptureActors.Agent.Actors;
using CaptureActors.Agent.Hosting;
using CaptureActors.Agent.Security;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Controller.Sessions;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.Console.Tests;

/// <summary>The console's side of the handshake (<see cref="AgentSessions"/>, <see cref="AgentSessionProxy"/>) against a real guardian.</summary>
public sealed class AgentSessionTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly DevCertificates _certificates = new("viewer");
    private readonly TempDirectory _data = new("ca-session-");

    private TlsFiles Files(string name, DevCertificates? from = null) =>
        new((from ?? _certificates).Pem(name), (from ?? _certificates).Key(name), (from ?? _certificates).Ca);

    private IActorRef Guardian(bool tls)
    {
        var options = new AgentOptions { NodeName = "node1", DataDirectory = _data.Path };
        var roles = Akka.Configuration.ConfigurationFactory.ParseString("""capture-agent.authorization { operators = ["CN=console"], viewers = ["CN=viewer"] }""");
        var authorization = AgentAuthorization.From(roles, options, tls ? Files("agent") : null, e => Sys.Log.Error(e));
        return Sys.ActorOf(AgentGuardian.Props(options, new NoCaptureEngine(), authorization: authorization));
    }

    [Fact]
    public async Task A_viewer_session_forwards_requests_with_the_token_and_the_agent_refuses_what_the_role_does_not_allow()
    {
        var session = await AgentSessions.OpenAsync(Sys, Guardian(tls: true), "node1", Files("viewer"), Wait);

        Assert.Equal(("CN=viewer, O=CaptureActors dev", AgentRole.Viewer), (session.Granted!.Subject, session.Granted.Role));
        Assert.Equal(CaptureState.Idle, (await session.Agent.Ask<CaptureStatus>(GetCaptureStatus.Instance, Wait)).State);
        var refused = await session.Agent.Ask<CommandFailed>(new StopCapture(), Wait);
        Assert.Equal("node1: refused: packetcapture stop needs role operator; CN=viewer, O=CaptureActors dev has viewer", refused.Message);
    }

    [Fact]
    public async Task A_certificate_of_another_ca_is_refused_at_the_handshake_with_the_agents_reason()
    {
        using var foreign = new DevCertificates();

        var error = await Assert.ThrowsAsync<AgentSessionRefusedException>(() => AgentSessions.OpenAsync(Sys, Guardian(tls: true), "node1", Files("console", foreign), Wait));

        Assert.StartsWith("node1: refused: certificate CN=console, O=CaptureActors dev is not trusted by node1", error.Message);
    }

    [Fact]
    public async Task An_agent_without_tls_is_used_as_it_is()
    {
        var guardian = Guardian(tls: false);

        var session = await AgentSessions.OpenAsync(Sys, guardian, "node1", Files("viewer"), Wait);

        Assert.Null(session.Granted);
        Assert.Equal(guardian, session.Agent);
        Assert.IsType<CaptureStopped>(await session.Agent.Ask<object>(new StopCapture(), Wait)); // everyone is an operator
    }

    [Fact]
    public async Task The_session_proxy_stops_when_its_agent_is_gone_so_watchers_of_the_agent_notice()
    {
        var guardian = Guardian(tls: true);
        var session = await AgentSessions.OpenAsync(Sys, guardian, "node1", Files("console"), Wait);
        Watch(session.Agent);

        Sys.Stop(guardian);

        ExpectTerminated(session.Agent, Wait);
    }

    public new void Dispose()
    {
        base.Dispose();
        _data.Dispose();
        _certificates.Dispose();
    }
}
