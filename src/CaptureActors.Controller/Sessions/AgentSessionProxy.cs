using Akka.Actor;
using Akka.Event;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;
using CaptureActors.Protocol.Serialization;

namespace CaptureActors.Controller.Sessions;

/// <summary>
/// The console's session with one agent (docs/authorization.md). It proves who the console is: to an agent with TLS, its
/// certificate (answers the agent's challenge with the certificate and a signature made with its private key); to a plain
/// agent, its local user (presents the challenge on the agent's Unix socket, <see cref="LocalProofClient"/>). It keeps the
/// session token it gets, renews it at three quarters of its lifetime, and stands in for the agent: every request sent
/// to it travels to the agent as an <see cref="AuthorizedRequest"/> with the original sender, so replies go straight
/// back to whoever asked. Commands hold it as "the agent" and need not know about sessions. It stops when the agent
/// is lost (watchers of "the agent" see that), and the agent drops the session when this actor stops.
/// </summary>
public sealed class AgentSessionProxy : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _agent;
    private readonly string _node;
    private readonly TlsCredentials? _credentials;
    private readonly CaptureOwner _claimed;
    private readonly ProtocolSerializer _serializer;
    private readonly long _frameBytes;
    private IActorRef? _opener;
    private byte[]? _token;

    public AgentSessionProxy(IActorRef agent, string node, TlsCredentials? credentials, CaptureOwner claimed)
    {
        _agent = agent;
        _node = node;
        _credentials = credentials;
        _claimed = claimed;
        _serializer = new ProtocolSerializer((ExtendedActorSystem)Context.System);
        _frameBytes = Context.System.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", 128_000) ?? 128_000;
        Context.Watch(agent);

        Receive<Open>(_ =>
        {
            _opener = Sender;
            _agent.Tell(new OpenSession(_claimed));
        });
        Receive<Renew>(_ => _agent.Tell(new OpenSession(_claimed)));
        Receive<SessionChallenge>(HandleChallenge);
        Receive<SessionGranted>(HandleGranted);
        Receive<LocalProofReply>(HandleLocalReply);
        Receive<CommandFailed>(HandleRefused);
        Receive<Terminated>(t => t.ActorRef.Equals(_agent), _ => Context.Stop(Self));
        Receive<ICaptureProtocol>(HandleRequest);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="credentials">The console's certificate with its key, and the CA; disposed when the actor stops. Null: no TLS.</param>
    public static Props Props(IActorRef agent, string node, TlsCredentials? credentials, CaptureOwner claimed) =>
        Akka.Actor.Props.Create(() => new AgentSessionProxy(agent, node, credentials, claimed));

    protected override void PostStop() => _credentials?.Dispose();

    private void HandleChallenge(SessionChallenge challenge)
    {
        if (!challenge.AuthorizationRequired)
        {
            _opener?.Tell(new Opened(null));
            _opener = null;
            return;
        }

        // The agent checks this exact path: the sender of the proof, with the address it reaches this system on.
        var path = Self.Path.ToStringWithAddress(((ExtendedActorSystem)Context.System).Provider.DefaultAddress);
        if (challenge.LocalProofSocket is not null)
        {
            LocalProofClient.ProveAsync(_node, challenge, path).PipeTo(Self);
            return;
        }

        if (_credentials is null)
        {
            HandleRefused(new CommandFailed(ErrorCode.Forbidden,
                $"node '{_node}' checks certificates: run capturectl with --tls-cert, --tls-key and --tls-ca"));
            return;
        }

        var text = SessionProofText.Build(challenge.Nonce, challenge.Node, path);
        var proof = new SessionProof(challenge.Nonce, _credentials.Certificate.RawData, SessionProofText.Sign(_credentials.Certificate, text));
        _agent.Tell(proof);
    }

    private void HandleGranted(SessionGranted granted)
    {
        _token = granted.Token;
        var lifetime = granted.ExpiresAt - DateTimeOffset.UtcNow;
        Timers.StartSingleTimer(Renew.Instance, Renew.Instance, lifetime > TimeSpan.FromSeconds(4) ? lifetime * 3 / 4 : TimeSpan.FromSeconds(1));
        _opener?.Tell(new Opened(granted));
        _opener = null;
    }

    private void HandleLocalReply(LocalProofReply reply)
    {
        if (reply.Granted is { } granted)
        {
            HandleGranted(granted);
            return;
        }

        HandleRefused(new CommandFailed(ErrorCode.Forbidden, reply.Refusal ?? $"node '{_node}' refused the local proof without a reason"));
    }

    private void HandleRefused(CommandFailed refused)
    {
        if (_opener is not null)
        {
            _opener.Tell(refused);
            _opener = null;
            return;
        }

        // A renewal refused: keep the current token until it expires; the agent's refusals then say why.
        _log.Warning("node '{0}': renewing the session failed: {1}", _node, refused.Message);
    }

    private void HandleRequest(ICaptureProtocol request)
    {
        if (_token is null)
        {
            Sender.Tell(new CommandFailed(ErrorCode.Forbidden, $"node '{_node}': no session yet"));
            return;
        }

        // Refused here with the words the agent would use: wrapped, a request over the bounds may not even fit in a frame,
        // and Akka drops an oversized message with nothing but a log line (the console would wait out its timeout).
        var payload = _serializer.ToBinary(request);
        if (Unsendable(request, payload.Length) is { } problem)
        {
            Sender.Tell(Refusals.For(request, problem.Code, $"{_node}: refused: {problem.Message}"));
            return;
        }

        _agent.Tell(new AuthorizedRequest(_token, _serializer.Manifest(request), payload), Sender);
    }

    /// <summary>
    /// Why <paramref name="request"/> cannot go to the agent: over one of the shared <see cref="RequestBounds"/>, a filter
    /// longer than any valid one (<see cref="CaptureSettings.FilterProblem"/>, the agent's own check and words), or a
    /// payload that would not fit in Akka.Remote's frame once wrapped (its bytes travel as base64).
    /// </summary>
    private BoundsProblem? Unsendable(ICaptureProtocol request, int payloadBytes)
    {
        if (RequestBounds.Check(request) is { } bounds)
        {
            return bounds;
        }

        var filter = request switch
        {
            StartCapture start => start.Options.Filter,
            UpdateSetup setup => setup.Options.Filter,
            CheckFilter check => check.Filter,
            _ => null,
        };
        if (filter is { Length: > CaptureSettings.MaxFilterLength })
        {
            return new BoundsProblem(request is CheckFilter ? ErrorCode.InvalidFilter : ErrorCode.InvalidSettings, CaptureSettings.FilterProblem(filter)!);
        }

        var budget = _frameBytes * 3 / 4 - EnvelopeBytes;
        return payloadBytes > budget
            ? new BoundsProblem(ErrorCode.InvalidArgument,
                $"the request ({request.GetType().Name}) is {payloadBytes:N0} bytes: more than a message to an agent may carry ({budget:N0} bytes)")
            : null;
    }

    /// <summary>Room for the envelope around the payload: token, manifest, JSON.</summary>
    private const int EnvelopeBytes = 1024;

    /// <summary>Start the handshake; answered by <see cref="Opened"/> or by the agent's <see cref="CommandFailed"/>.</summary>
    public sealed record Open
    {
        public static readonly Open Instance = new();
    }

    /// <summary>The handshake is done: a session, or null when the agent checks no certificates.</summary>
    public sealed record Opened(SessionGranted? Granted);

    private sealed record Renew
    {
        public static readonly Renew Instance = new();
    }
}
