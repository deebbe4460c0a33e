using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol.Security;
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

    /// <summary>The console's mutual TLS, owned here (its system finds it with <see cref="MutualTlsSetup.Of"/>); null: plain TCP.</summary>
    private readonly MutualTlsSetup? _tls;

    private RemoteConsoleHost(IHost host, MutualTlsSetup? tls)
    {
        _host = host;
        _tls = tls;
        System = host.Services.GetRequiredService<ActorSystem>();
    }

    public ActorSystem System { get; }

    public static async Task<RemoteConsoleHost> StartAsync(AgentTarget target, CancellationToken cancellationToken)
    {
        var hostName = target.ConsoleHost ?? (target.RemoteNodes.All(IsLoopback) ? "127.0.0.1" : Dns.GetHostName());
        var tls = LoadTls(target);
        try
        {
            var host = await ConsoleHost.StartAsync(
                akka =>
                {
                    akka.AddHoconFile(Path.Combine(AppContext.BaseDirectory, "controller.hocon"), HoconAddMode.Prepend);
                    if (tls is not null)
                    {
                        akka.AddMutualTls(tls);
                    }

                    akka.WithRemoting(hostName == "127.0.0.1" ? "127.0.0.1" : "0.0.0.0", 0, hostName)
                        .AddCaptureProtocolSerialization();
                },
                cancellationToken).ConfigureAwait(false);
            return new RemoteConsoleHost(host, tls);
        }
        catch
        {
            tls?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ConsoleHost.StopAsync(_host).ConfigureAwait(false);
        _tls?.Dispose();
    }

    /// <summary>The TLS files loaded and checked; a file that cannot be used is a usage error naming it.</summary>
    private static MutualTlsSetup? LoadTls(AgentTarget target)
    {
        if (target.Tls is not { } files)
        {
            return null;
        }

        try
        {
            var switches = RemoteTlsSettings.Load();
            return new MutualTlsSetup(files.Load(), switches, CertificatePurpose.ServerAuth);
        }
        catch (TlsSetupException e)
        {
            throw new UsageException($"TLS: {e.Message}");
        }
    }

    private static bool IsLoopback(NodeAddress node) =>
        node.Host == "localhost" || (IPAddress.TryParse(node.Host, out var address) && IPAddress.IsLoopback(address));
}
