using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaptureActors.Console.Agent;

/// <summary>
/// The host of capturectl's own ActorSystem, embedded agent or remote console alike: Akka logs warnings and errors
/// only, through Microsoft.Extensions.Logging to stderr (stdout stays clean for <c>--json</c>); SIGINT/SIGTERM are
/// left to capturectl; <c>hocon/capturectl.hocon</c> applies first.
/// Akka.Remote's transport logging is left out (<see cref="ConsoleAkkaLogger"/>).
/// </summary>
public static class ConsoleHost
{
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    public static async Task<IHost> StartAsync(Action<AkkaConfigurationBuilder> configure, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Services.AddAkka("capturectl", akka =>
        {
            akka.ConfigureLoggers(loggers =>
                {
                    loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                    loggers.LogConfigOnStart = false;
                    loggers.ClearLoggers();
                    loggers.AddLogger<ConsoleAkkaLogger>();
                })
                .AddHoconFile(Path.Combine(AppContext.BaseDirectory, "capturectl.hocon"), HoconAddMode.Prepend)
                .AddHocon($"akka.stdout-logger-class = \"{typeof(ConsoleStandardOutLogger).AssemblyQualifiedName}\"", HoconAddMode.Prepend);
            configure(akka);
        });

        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return host;
    }

    public static async ValueTask StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(ShutdownTimeout);
        await host.StopAsync(timeout.Token).ConfigureAwait(false);
        host.Dispose();
    }
}
