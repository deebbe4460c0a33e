using Akka.Actor;
using Akka.Event;
using CaptureActors.Agent.Downloads;
using CaptureActors.Agent.Hosting;
using CaptureActors.Capture;
using CaptureActors.Probes;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// <c>/user/agent</c>: the node. Answers identity and interface inventory itself and routes capture commands to
/// <c>capture</c> (<see cref="CaptureSupervisor"/>), file commands to <c>files</c> (<see cref="FileStore"/>) and
/// probes to <c>probes</c> (<see cref="ProbeRouter"/>).
/// Consoles and controllers talk only to this actor.
/// </summary>
public sealed class AgentGuardian : ReceiveActor
{
    public static readonly string Version =
        typeof(AgentGuardian).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly AgentOptions _options;
    private readonly ICaptureEngine _engine;
    private readonly IActorRef _capture;
    private readonly IActorRef _files;
    private readonly IActorRef _probes;

    public AgentGuardian(AgentOptions options, ICaptureEngine engine, ProbeCatalog probes, DownloadListener? downloads)
    {
        _options = options;
        _engine = engine;
        _capture = Context.ActorOf(CaptureSupervisor.Props(options, engine), "capture");
        _files = Context.ActorOf(FileStore.Props(options, downloads), "files");
        _probes = Context.ActorOf(ProbeRouter.Props(probes), "probes");

        Receive<ICaptureCommand>(m => _capture.Forward(m));
        Receive<CaptureSupervisor.Shutdown>(m => _capture.Forward(m));
        Receive<IFileCommand>(m => _files.Forward(m));
        Receive<IProbeCommand>(m => _probes.Forward(m));
        Receive<CancelProbe>(m => _probes.Forward(m));
        Receive<IdentifyAgent>(_ => Sender.Tell(new AgentIdentity(_options.NodeName, Version, _options.DataDirectory, DateTimeOffset.UtcNow)));
        Receive<ListInterfaces>(_ => HandleListInterfaces());
    }

    /// <param name="probes">The node's probes; by default the real machine's.</param>
    /// <param name="downloads">The node's download channel, or null (embedded agent: chunks only).</param>
    public static Props Props(AgentOptions options, ICaptureEngine engine, ProbeCatalog? probes = null, DownloadListener? downloads = null)
    {
        var catalog = probes ?? new ProbeCatalog(new ProbeEnvironment());
        return Akka.Actor.Props.Create(() => new AgentGuardian(options, engine, catalog, downloads));
    }

    protected override void PreStart() =>
        _log.Info("Agent {0} {1} serves data directory {2}", _options.NodeName, Version, _options.DataDirectory);

    private void HandleListInterfaces()
    {
        try
        {
            var interfaces = _engine.ListInterfaces()
                .Select(i => new NetworkInterfaceInfo(i.Name, i.IsUp, i.Addresses, i.Mtu, i.LinkType, i.Capturable, i.Description))
                .ToList();
            Sender.Tell(new InterfaceListing(_options.NodeName, interfaces));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Sender.Tell(new CommandFailed(ErrorCode.DeviceError, $"could not list interfaces: {e.Message}"));
        }
    }
}
