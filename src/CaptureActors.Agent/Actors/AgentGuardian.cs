using Akka.Actor;
using Akka.Event;
using CaptureActors.Agent.Downloads;
using CaptureActors.Agent.Hosting;
using CaptureActors.Agent.Security;
using CaptureActors.Capture;
using CaptureActors.Probes;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;
using CaptureActors.Protocol.Serialization;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// <c>/user/agent</c>: the node. Answers identity and interface inventory itself and routes capture commands to
/// <c>capture</c> (<see cref="CaptureSupervisor"/>), file commands to <c>files</c> (<see cref="FileStore"/>) and
/// probes to <c>probes</c> (<see cref="ProbeRouter"/>).
/// Consoles and controllers talk only to this actor, and this is the one place where requests are authorized
/// (<see cref="CommandRoles"/>) and audited (<see cref="AuditedRequest"/>): with authorization on, a request counts only
/// inside an <see cref="AuthorizedRequest"/> whose session token a console got by proving its certificate
/// (<see cref="OpenSession"/>, <see cref="SessionProof"/>) or, on a plain agent, by presenting its challenge on the local
/// socket as a user the kernel names and the local rule admits (<see cref="LocalProofOffered"/>).
/// </summary>
public sealed class AgentGuardian : ReceiveActor
{
    public static readonly string Version =
        typeof(AgentGuardian).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly AgentOptions _options;
    private readonly ICaptureEngine _engine;
    private readonly AgentAuthorization _authorization;
    private readonly ProtocolSerializer _serializer;
    private readonly IActorRef _capture;
    private readonly IActorRef _files;
    private readonly IActorRef _probes;

    public AgentGuardian(AgentOptions options, ICaptureEngine engine, ProbeCatalog probes, DownloadListener? downloads, AgentAuthorization authorization)
    {
        _options = options;
        _engine = engine;
        _authorization = authorization;
        _serializer = new ProtocolSerializer((ExtendedActorSystem)Context.System);
        _capture = Context.ActorOf(CaptureSupervisor.Props(options, engine), "capture");
        _files = Context.ActorOf(FileStore.Props(options, downloads), "files");
        _probes = Context.ActorOf(ProbeRouter.Props(probes), "probes");

        Receive<CaptureSupervisor.Shutdown>(m => _capture.Forward(m));
        Receive<ICaptureProtocol>(m => RequestBounds.Check(m) is not null, RefuseOutOfBounds);
        Receive<OpenSession>(HandleOpenSession);
        Receive<SessionProof>(HandleProof);
        Receive<LocalProofOffered>(HandleLocalProof);
        Receive<AuthorizedRequest>(HandleAuthorized);
        Receive<Terminated>(t => _authorization.Sessions?.Ended(t.ActorRef.Path));
        Receive<ICaptureProtocol>(HandlePlain);
    }

    /// <param name="probes">The node's probes; by default the real machine's.</param>
    /// <param name="downloads">The node's download channel, or null (embedded agent: chunks only).</param>
    /// <param name="authorization">Who may do what, and the audit log; null: authorization off, no audit log.</param>
    public static Props Props(
        AgentOptions options, ICaptureEngine engine, ProbeCatalog? probes = null, DownloadListener? downloads = null, AgentAuthorization? authorization = null)
    {
        var catalog = probes ?? new ProbeCatalog(new ProbeEnvironment());
        var rules = authorization ?? AgentAuthorization.Off();
        return Akka.Actor.Props.Create(() => new AgentGuardian(options, engine, catalog, downloads, rules));
    }

    protected override void PreStart()
    {
        _log.Info("Agent {0} {1} serves data directory {2}", _options.NodeName, Version, _options.DataDirectory);
        _log.Info("Agent {0}: {1}", _options.NodeName, _authorization.Summary);
    }

    private string Node => _options.NodeName;

    private void HandleOpenSession(OpenSession open) =>
        Sender.Tell(_authorization.Sessions?.Challenge() ?? new SessionChallenge(Node, [], AuthorizationRequired: false));

    private void HandleProof(SessionProof proof)
    {
        if (_authorization.Sessions is not { } sessions)
        {
            Sender.Tell(new CommandFailed(ErrorCode.InvalidArgument, $"{Node} does not check certificates (it runs without TLS): no proof needed"));
            return;
        }

        var outcome = sessions.Prove(proof, Sender.Path);
        var entry = new AuditEntry(
            DateTime.UtcNow, Node, outcome.Subject ?? "unknown certificate", outcome.Session is not null, RoleText(outcome.Session?.Role),
            From(), "session", nameof(SessionProof), null, outcome.Session is null ? "refused" : "ok", Reason: outcome.Refusal,
            Outcome: outcome.Session is { } s ? new Dictionary<string, object?> { ["expiresAt"] = s.ExpiresAt.UtcDateTime, ["sessionActor"] = s.Actor.ToString() } : null);
        _authorization.Audit?.Write(entry);
        if (outcome.Granted is { } granted)
        {
            Context.Watch(Sender);
            _log.Info("Session for {0} ({1}) from {2} until {3:u}", granted.Subject, RoleText(granted.Role), Sender.Path.Address, granted.ExpiresAt);
            Sender.Tell(granted);
        }
        else
        {
            _log.Warning("Refused a session proof from {0}: {1}", Sender.Path.Address, outcome.Refusal);
            Sender.Tell(new CommandFailed(ErrorCode.Forbidden, $"{Node}: refused: {outcome.Refusal}"));
        }
    }

    /// <summary>A console of this host presented its challenge on the local socket; the kernel named its user.</summary>
    private void HandleLocalProof(LocalProofOffered offered)
    {
        if (_authorization.Sessions is not { } sessions)
        {
            Sender.Tell(new LocalProofReply(null, $"{Node} checks nothing: no proof needed"));
            return;
        }

        var outcome = sessions.ProveLocal(offered.Request, offered.Peer);
        var entry = new AuditEntry(
            DateTime.UtcNow, Node, offered.Peer.Who, true, RoleText(outcome.Session?.Role),
            $"unix:{offered.Socket} (pid {offered.Peer.ProcessId})", "session", "LocalProof", null, outcome.Session is null ? "refused" : "ok",
            Reason: outcome.Refusal,
            Outcome: outcome.Session is { } s ? new Dictionary<string, object?> { ["expiresAt"] = s.ExpiresAt.UtcDateTime, ["sessionActor"] = s.Actor.ToString() } : null);
        _authorization.Audit?.Write(entry);
        if (outcome is { Granted: { } granted, Session: { } session })
        {
            // The session ends when the console's session actor stops or its system is lost.
            Context.Watch(((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(session.Actor));
            _log.Info("Session for {0} (pid {1}, local socket) as {2} until {3:u}", granted.Subject, offered.Peer.ProcessId, session.Actor.Address, granted.ExpiresAt);
            Sender.Tell(new LocalProofReply(granted, null));
        }
        else
        {
            _log.Warning("Refused a local console: {0}", outcome.Refusal);
            Sender.Tell(new LocalProofReply(null, $"{Node}: refused: {outcome.Refusal}"));
        }
    }

    private void HandleAuthorized(AuthorizedRequest envelope)
    {
        if (!ProtocolSerializer.AllowedTypes.TryGetValue(envelope.Manifest, out var type) || !CommandRoles.Requests.ContainsKey(type))
        {
            Refuse(null, Unknown(), "request", $"'{Printable(envelope.Manifest)}' is not a request an agent accepts", ErrorCode.InvalidArgument);
            return;
        }

        ICaptureProtocol request;
        try
        {
            request = (ICaptureProtocol)_serializer.FromBinary(envelope.Payload, envelope.Manifest);
        }
        catch (System.Runtime.Serialization.SerializationException e)
        {
            Refuse(null, Unknown(), CommandRoles.Requests[type].Name, $"the request is malformed: {e.Message}", ErrorCode.InvalidArgument);
            return;
        }

        if (RequestBounds.Check(request) is { } bounds)
        {
            Refuse(request, Unknown(), CommandRoles.Requests[type].Name, bounds.Message, bounds.Code, warn: false);
            return;
        }

        if (_authorization.Sessions is not { } sessions)
        {
            Dispatch(request, Unauthenticated(request));
            return;
        }

        if (sessions.Open(envelope.Token, Sender.Path.Address, out var problem) is not { } session)
        {
            Refuse(request, Unknown(), CommandRoles.Requests[type].Name, problem, ErrorCode.Forbidden);
            return;
        }

        Dispatch(request, new Principal(session.Subject, session.Role, Authenticated: true));
    }

    private void HandlePlain(ICaptureProtocol message)
    {
        if (_authorization.Sessions is null)
        {
            Dispatch(message, Unauthenticated(message));
            return;
        }

        if (CommandRoles.For(message) is { Role: not null } rule)
        {
            var how = _authorization.Local is { } local
                ? $"{Node} runs without TLS and serves only consoles of its own host, {local.Rule.Summary}, proven on its local socket {local.Socket} (capturectl does this itself)"
                : $"{Node} checks certificates; run capturectl with --tls-cert, --tls-key and --tls-ca";
            // Who sent it is unknown: what a start claims (user@host, pid) stays in its arguments, never in "who".
            Refuse(message, Unknown(), rule.Name, $"{rule.Name} needs a proven identity: {how}", ErrorCode.Forbidden);
            return;
        }

        Dispatch(message, Unknown());
    }

    /// <summary>
    /// A message over one of <see cref="RequestBounds"/>' limits is answered with the limit before anything reads it
    /// further: no handler, refusal or audit line repeats a string of the frame's size.
    /// </summary>
    private void RefuseOutOfBounds(ICaptureProtocol message)
    {
        var problem = RequestBounds.Check(message)!;
        Refuse(message, Unknown(), CommandRoles.For(message)?.Name ?? message.GetType().Name, problem.Message, problem.Code, warn: false);
    }

    /// <summary>Checks the role the request needs and sends it on, through an <see cref="AuditedRequest"/> when it is audited.</summary>
    private void Dispatch(ICaptureProtocol request, Principal principal)
    {
        if (CommandRoles.For(request) is not { } rule)
        {
            // Not in the table: only local messages can be (the wire carries allow-listed types only), e.g. probes a
            // host adds in process. Routed by kind while authorization is off, refused when it is on.
            if (_authorization.Sessions is null)
            {
                Route(request, Sender);
                return;
            }

            Refuse(request, principal, request.GetType().Name, $"{request.GetType().Name} is not a request an agent accepts", ErrorCode.InvalidArgument);
            return;
        }

        if (rule.Role is { } needed && principal.Role < needed)
        {
            Refuse(request, principal, rule.Name,
                $"{rule.Name} needs role {CommandRoles.Text(needed)}; {principal.Who} has {CommandRoles.Text(principal.Role)}", ErrorCode.Forbidden);
            return;
        }

        var replyTo = Sender;
        if (_authorization.Audit is { } audit && rule.Audited(request))
        {
            replyTo = Context.ActorOf(AuditedRequest.Props(Entry(request, principal, rule.Name, "pending"), Sender, audit));
        }

        Route(request, replyTo);
    }

    private void Route(ICaptureProtocol request, IActorRef replyTo)
    {
        switch (request)
        {
            case ICaptureCommand:
                _capture.Tell(request, replyTo);
                break;
            case IFileCommand:
                _files.Tell(request, replyTo);
                break;
            case IProbeCommand or CancelProbe:
                _probes.Tell(request, replyTo);
                break;
            case IdentifyAgent:
                replyTo.Tell(new AgentIdentity(Node, Version, _options.DataDirectory, DateTimeOffset.UtcNow));
                break;
            case ListInterfaces:
                HandleListInterfaces(replyTo);
                break;
            default:
                replyTo.Tell(new CommandFailed(ErrorCode.Internal, $"{Node} has no route for {request.GetType().Name}"));
                break;
        }
    }

    /// <summary>
    /// Answers with the refusal (a probe's own failure for a probe, else CommandFailed) and audits it; logged as a
    /// warning, or as information when the requester gets the same words anyway (<paramref name="warn"/> false: the
    /// console of an embedded agent would print them twice).
    /// </summary>
    private void Refuse(ICaptureProtocol? request, Principal principal, string what, string reason, ErrorCode code, bool warn = true)
    {
        var message = $"{Node}: refused: {reason}";
        if (warn)
        {
            _log.Warning("Refused {0} from {1} ({2}): {3}", what, principal.Who, From(), reason);
        }
        else
        {
            _log.Info("Refused {0} from {1} ({2}): {3}", what, principal.Who, From(), reason);
        }

        _authorization.Audit?.Write(Entry(request, principal, what, "refused") with { Code = AuditDetails.Code(code), Reason = reason });
        Sender.Tell(Refusals.For(request, code, message));
    }

    private AuditEntry Entry(ICaptureProtocol? request, Principal principal, string what, string result) => new(
        DateTime.UtcNow, Node, principal.Who, principal.Authenticated, principal.Authenticated ? RoleText(principal.Role) : null,
        From(), what, request?.GetType().Name ?? "unknown", request is null ? null : AuditDetails.Arguments(request), result);

    private string From() => Sender.Path.Address.ToString();

    /// <summary>Without authorization (the agent is in its console's process) everyone is an operator; the claim of a start (user@host, pid) is all we know of who.</summary>
    private static Principal Unauthenticated(ICaptureProtocol request) =>
        new(request is StartCapture start ? start.Owner.ToString() : "unauthenticated", AgentRole.Operator, Authenticated: false);

    private static Principal Unknown() => new("unauthenticated", AgentRole.Viewer, Authenticated: false);

    private static string? RoleText(AgentRole? role) => role is { } r ? CommandRoles.Text(r) : null;

    private static string Printable(string text) =>
        string.Concat((text.Length > 60 ? text[..60] + "…" : text).Select(c => char.IsControl(c) ? '?' : c));

    private void HandleListInterfaces(IActorRef replyTo)
    {
        try
        {
            var interfaces = _engine.ListInterfaces()
                .Select(i => new NetworkInterfaceInfo(i.Name, i.IsUp, i.Addresses, i.Mtu, i.LinkType, i.Capturable, i.Description))
                .ToList();
            replyTo.Tell(new InterfaceListing(Node, interfaces));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            replyTo.Tell(new CommandFailed(ErrorCode.DeviceError, $"could not list interfaces: {e.Message}"));
        }
    }

    /// <summary>Who sent a request, as far as this agent knows.</summary>
    private sealed record Principal(string Who, AgentRole Role, bool Authenticated);
}
