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
        var host = await ConsoleHost.StartAsync(
            akka => akka
                .AddHoconFile(Path.Combine(AppContext.BaseDirectory, "controller.hocon"), HoconAddMode.Prepend)
                .WithRemoting(hostName == "127.0.0.1" ? "127.0.0.1" : "0.0.0.0", 0, hostName)
                .AddCaptureProtocolSerialization(),
            cancellationToken).ConfigureAwait(false);
        return new RemoteConsoleHost(host);
    }

    public ValueTask DisposeAsync() => ConsoleHost.StopAsync(_host);

    private static bool IsLoopback(NodeAddress node) =>
        node.Host == "localhost" || (IPAddress.TryParse(node.Host, out var address) && IPAddress.IsLoopback(address));
}
