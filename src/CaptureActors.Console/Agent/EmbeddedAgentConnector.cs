using Akka.Actor;
using Akka.Hosting;
using CaptureActors.Agent.Actors;
using CaptureActors.Agent.Hosting;
using CaptureActors.Capture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaptureActors.Console.Agent;

/// <summary>
/// No node configured: the agent runs inside this process (design.md §7). Akka logs warnings and errors only, through
/// Microsoft.Extensions.Logging to stderr, so stdout stays clean for <c>--json</c>.
/// </summary>
public sealed class EmbeddedAgentConnector(Func<ICaptureEngine>? engineFactory = null) : IAgentConnector
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    public async Task<AgentConnection> ConnectAsync(AgentTarget target, CancellationToken cancellationToken)
    {
        var options = new AgentOptions { DataDirectory = target.DataDirectory, NodeName = target.NodeName };
        var engine = engineFactory?.Invoke() ?? new LibPcapCaptureEngine();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Services.AddAkka("capturectl", akka => akka
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                loggers.LogConfigOnStart = false;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .AddHoconFile(Path.Combine(AppContext.BaseDirectory, "capturectl.hocon"), HoconAddMode.Prepend)
            .AddCaptureAgent(options, engine));

        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            var guardian = await registry.GetAsync<AgentGuardian>(cancellationToken).ConfigureAwait(false);
            var system = host.Services.GetRequiredService<ActorSystem>();
            return new AgentConnection(system, guardian, async () =>
            {
                using var timeout = new CancellationTokenSource(ShutdownTimeout);
                await host.StopAsync(timeout.Token).ConfigureAwait(false);
                host.Dispose();
            });
        }
        catch
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            host.Dispose();
            throw;
        }
    }
}
