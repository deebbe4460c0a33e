using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaptureActors.Console.Agent;

/// <summary>
/// The console's own ActorSystem when it talks to remote agents: Akka.Remote on an ephemeral port, so agents can
/// answer and watch the console's session actor (an attached capture stops when the console is gone).
/// </summary>
public sealed class RemoteConsoleHost : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);
    private readonly IHost _host;

    private RemoteConsoleHost(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
    }

    public ActorSystem System { get; }

    public static async Task<RemoteConsoleHost> StartAsync(AgentTarget target, CancellationToken cancellationToken)
    {
        var hostName = target.ConsoleHost ?? (target.RemoteNodes.All(IsLoopback) ? "127.0.0.1" : Dns.GetHostName());
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
            .AddHoconFile(Path.Combine(AppContext.BaseDirectory, "controller.hocon"), HoconAddMode.Prepend)
            .WithRemoting(hostName == "127.0.0.1" ? "127.0.0.1" : "0.0.0.0", 0, hostName)
            .AddCaptureProtocolSerialization());

        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new RemoteConsoleHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(ShutdownTimeout);
        await _host.StopAsync(timeout.Token).ConfigureAwait(false);
        _host.Dispose();
    }

    private static bool IsLoopback(NodeAddress node) =>
        node.Host == "localhost" || (IPAddress.TryParse(node.Host, out var address) && IPAddress.IsLoopback(address));
}
