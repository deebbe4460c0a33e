using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote;
using CaptureActors.Agent.Actors;
using CaptureActors.Agent.Disk;
using CaptureActors.Agent.Downloads;
using CaptureActors.Agent.Security;
using CaptureActors.Capture;
using CaptureActors.Probes;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Agent.Hosting;

/// <summary>Registers a node's agent actors (design.md §3) on an Akka.Hosting builder; hosts and tests call the same method.</summary>
public static class AgentHostingExtensions
{
    /// <summary>Longest wait, at shutdown, for the running capture to finish its files and sidecar.</summary>
    public static readonly TimeSpan CaptureShutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Starts <c>/user/agent</c> (<see cref="AgentGuardian"/>) with its children. The guardian is in the
    /// <see cref="ActorRegistry"/>: <c>registry.Get&lt;AgentGuardian&gt;()</c>; every protocol request goes to it.
    /// When the actor system shuts down, a running capture is stopped first with reason <c>agent-shutdown</c>.
    /// <para>
    /// An agent reached over Akka.Remote also runs the download channel (<see cref="DownloadListener"/>) on the host
    /// its remoting binds, configured by <c>capture-agent.download</c> (agent.hocon); it stops with the actor system.
    /// The embedded agent of capturectl has no remoting and no channel: its files travel as local chunk messages.
    /// </para>
    /// </summary>
    /// <param name="probes">The node's probes; null for the real machine's.</param>
    /// <param name="tls">
    /// The agent's TLS files: authorization by certificate is on (capture-agent.authorization); null: a system with remoting
    /// admits consoles of this host only (<see cref="LocalProofListener"/>, capture-agent.local-access), one without checks nothing.
    /// </param>
    public static AkkaConfigurationBuilder AddCaptureAgent(
        this AkkaConfigurationBuilder builder, AgentOptions options, ICaptureEngine engine, ProbeCatalog? probes = null, TlsFiles? tls = null) =>
        builder.WithActors((system, registry) =>
        {
            options.Disk ??= DiskGuardSettings.From(system.Settings.Config);
            var downloads = StartDownloadChannel((ExtendedActorSystem)system);
            // A plain agent reached over Akka.Remote admits only consoles of its host, by the user the kernel names on its local socket.
            var localSocket = tls is null && !OperatingSystem.IsWindows() && system is ExtendedActorSystem { Provider: RemoteActorRefProvider remote }
                ? LocalSocketDirectory.SocketPath(system.Settings.Config.GetString(LocalSocketDirectory.ConfigPath, ""), remote.DefaultAddress.Port ?? 0)
                : null;
            var authorization = AgentAuthorization.From(system.Settings.Config, options, tls, problem => system.Log.Error(problem), localSocket);
            var guardian = system.ActorOf(AgentGuardian.Props(options, engine, probes, downloads, authorization), AgentAddress.GuardianName);
            registry.Register<AgentGuardian>(guardian);
            if (localSocket is not null && !OperatingSystem.IsWindows())
            {
                var listener = LocalProofListener.Start(localSocket, guardian, Logging.GetLogger(system, "local-socket"));
                system.RegisterOnTermination(listener.Dispose);
            }
            CoordinatedShutdown.Get(system).AddTask(
                CoordinatedShutdown.PhaseServiceUnbind,
                "stop-running-capture",
                async () =>
                {
                    try
                    {
                        await guardian.Ask<CaptureStopped>(CaptureSupervisor.Shutdown.Instance, CaptureShutdownTimeout);
                    }
                    catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
                    {
                        system.Log.Warning("The running capture did not finish within {0}", CaptureShutdownTimeout);
                    }

                    return Akka.Done.Instance;
                });
        });

    /// <summary>The download channel when this system has remoting and the channel is enabled; null otherwise.</summary>
    private static DownloadListener? StartDownloadChannel(ExtendedActorSystem system)
    {
        var settings = DownloadChannelSettings.From(system.Settings.Config);
        if (!settings.Enabled || system.Provider is not RemoteActorRefProvider)
        {
            return null;
        }

        var host = system.Settings.Config.GetString("akka.remote.dot-netty.tcp.hostname", "");
        // With mutual TLS on Akka.Remote, the channel requires it too (same certificate, same CA, no sendfile).
        var tls = MutualTlsSetup.Of(system);
        var listener = DownloadListener.Start(
            string.IsNullOrWhiteSpace(host) ? "127.0.0.1" : host,
            settings,
            Logging.GetLogger(system, "download-channel"),
            streams: tls is null ? null : TlsDownloadStreams.Server(tls));
        CoordinatedShutdown.Get(system).AddTask(
            CoordinatedShutdown.PhaseServiceUnbind,
            "stop-download-channel",
            async () =>
            {
                await listener.DisposeAsync().ConfigureAwait(false);
                return Akka.Done.Instance;
            });
        system.RegisterOnTermination(() => listener.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5)));
        return listener;
    }
}
