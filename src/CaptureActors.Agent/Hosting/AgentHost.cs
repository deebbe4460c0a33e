using Akka.Actor;
using Akka.Hosting;
using CaptureActors.Agent.Actors;
using CaptureActors.Agent.Storage;
using CaptureActors.Capture;
using CaptureActors.Probes;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaptureActors.Agent.Hosting;

/// <summary>
/// The <c>capture-agent</c> process's host: Akka.Remote on the --listen address, the agent actors, logs through
/// Microsoft.Extensions.Logging to stderr. SIGTERM/SIGINT (ConsoleLifetime) stop the host, whose CoordinatedShutdown
/// stops a running capture with reason <c>agent-shutdown</c> (see <see cref="AgentHostingExtensions.AddCaptureAgent"/>).
/// </summary>
public static class AgentHost
{
    /// <summary>The defaults, beside the executable; <c>--config</c> goes over them.</summary>
    public const string HoconFileName = "agent.hocon";

    /// <summary>The host; with <see cref="AgentHostSettings.Tls"/> its files are loaded here (<see cref="TlsSetupException"/> when unusable).</summary>
    public static IHost Build(AgentHostSettings settings, ICaptureEngine engine)
    {
        ArgumentNullException.ThrowIfNull(settings);
        MutualTlsSetup? tls = null;
        if (settings.Tls is { } files)
        {
            var switches = RemoteTlsSettings.Load(settings.ConfigFile);
            var credentials = files.Load();
            // Consoles admit only agents' certificates (serverAuth leaves): anything else would be refused at every handshake.
            if (!CertificatePurposes.Allows(credentials.Certificate, CertificatePurpose.ServerAuth, out var notAnAgent))
            {
                credentials.Dispose();
                throw new TlsSetupException($"{TlsFiles.CertificateOption} {files.CertificateFile} {notAnAgent}; consoles would refuse this agent at every handshake");
            }

            tls = new MutualTlsSetup(credentials, switches, CertificatePurpose.ClientAuth);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        // Akka's own akka.loglevel (agent.hocon) decides what Akka logs; the host's chatter is kept to warnings.
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        if (tls is not null)
        {
            // Disposed with the host (a factory registration is owned by the container).
            builder.Services.AddSingleton(_ => tls);
        }

        builder.Services.AddAkka(AgentAddress.SystemName, akka =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            // Prepend: later files win over earlier ones, and both over Akka's defaults.
            akka.AddHoconFile(Path.Combine(AppContext.BaseDirectory, HoconFileName), HoconAddMode.Prepend);
            if (tls is not null)
            {
                // Before --config, which may change remote-tls.hocon's switches.
                akka.AddMutualTls(tls);
            }

            if (settings.ConfigFile is { } extra)
            {
                akka.AddHoconFile(extra, HoconAddMode.Prepend);
            }

            // etherconfig refuses changes to the interface that carries this agent's remote link.
            var probes = new ProbeCatalog(new ProbeEnvironment { AgentLinkAddresses = settings.Remote.LinkAddresses() });
            akka.AddAgentRemoting(settings.Remote)
                .AddCaptureAgent(settings.Agent, engine, probes, settings.Tls);
        });
        return builder.Build();
    }

    /// <summary>Exit code when the agent cannot start (port in use, bad configuration values).</summary>
    public const int StartFailedExitCode = 1;

    /// <summary>Exit code when the TLS files or switches cannot be used (as a usage error: nothing was started).</summary>
    public const int TlsSetupExitCode = 2;

    /// <summary>
    /// Runs until SIGTERM/SIGINT; hands the startup line to <paramref name="announce"/> once the agent listens.
    /// A <c>--config</c> file that is not HOCON or turns off a safety (<see cref="AgentConfigFile"/>) is one line and exit 2.
    /// A start that fails (port in use, a bad value in a HOCON file, an unsafe data directory: <see cref="DataDirectoryGuard"/>)
    /// is one line on <paramref name="stderr"/> and exit 1.
    /// </summary>
    public static async Task<int> RunAsync(
        AgentHostSettings settings, ICaptureEngine engine, Action<string> announce, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announce);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ConfigFile is { } configFile &&
            AgentConfigFile.Problem(configFile, settings.Tls is not null, Defaults()) is { } configProblem)
        {
            await stderr.WriteLineAsync($"capture-agent: {configProblem}").ConfigureAwait(false);
            return AgentCommandLine.UsageExitCode;
        }

        try
        {
            foreach (var warning in DataDirectoryGuard.Prepare(settings.Agent.DataDirectory))
            {
                await stderr.WriteLineAsync($"capture-agent: warning: {warning}").ConfigureAwait(false);
            }
        }
        catch (UnsafeDataDirectoryException e)
        {
            await stderr.WriteLineAsync($"capture-agent: {e.Message}").ConfigureAwait(false);
            return StartFailedExitCode;
        }

        IHost built;
        try
        {
            built = Build(settings, engine);
        }
        catch (TlsSetupException e)
        {
            await stderr.WriteLineAsync($"capture-agent: TLS: {e.Message}").ConfigureAwait(false);
            return TlsSetupExitCode;
        }

        using var host = built;
        ExtendedActorSystem system;
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            system = (ExtendedActorSystem)host.Services.GetRequiredService<ActorSystem>();
            await host.Services.GetRequiredService<ActorRegistry>().GetAsync<AgentGuardian>(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stderr.WriteLineAsync($"capture-agent: cannot start on {settings.Remote.Hostname}:{settings.Remote.Port}: {e.GetBaseException().Message}").ConfigureAwait(false);
            return StartFailedExitCode;
        }

        announce(StartupLine(settings, system.Provider.DefaultAddress));
        await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The defaults of <see cref="HoconFileName"/> beside the executable.</summary>
    private static Akka.Configuration.Config Defaults() =>
        Akka.Configuration.ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, HoconFileName)));

    public static string StartupLine(AgentHostSettings settings, Address address)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(address);
        var bound = settings.Remote.PublicHostname is null ? "" : $" (bound to {settings.Remote.Hostname})";
        return $"capture-agent {AgentGuardian.Version} node {settings.Agent.NodeName} listening on {address}/user/agent{bound} data {settings.Agent.DataDirectory}";
    }
}
