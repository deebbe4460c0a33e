using Akka.Actor;
using Akka.Hosting;
using CaptureActors.Agent.Actors;
using CaptureActors.Agent.Hosting;
using CaptureActors.Agent.Storage;
using CaptureActors.Capture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaptureActors.Console.Agent;

/// <summary>
/// No node configured: the agent runs inside this process (design.md §7). Akka logs warnings and errors only, through
/// Microsoft.Extensions.Logging to stderr, so stdout stays clean for <c>--json</c>.
/// The data directory is held to the standalone agent's rules (<see cref="DataDirectoryGuard"/>): one every user may
/// write is refused, a readable one is warned about on <paramref name="warnings"/>, and capturectl's umask 027
/// (Program.cs) creates captures 0640 in 0750 directories.
/// </summary>
public sealed class EmbeddedAgentConnector(Func<ICaptureEngine>? engineFactory = null, TextWriter? warnings = null) : IAgentConnector
{
    public async Task<AgentConnection> ConnectAsync(AgentTarget target, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var warning in DataDirectoryGuard.Inspect(target.DataDirectory))
            {
                warnings?.WriteLine($"capturectl: warning: {warning}");
            }
        }
        catch (UnsafeDataDirectoryException e)
        {
            throw new CapturectlFailure(e.Message);
        }

        var options = new AgentOptions { DataDirectory = target.DataDirectory, NodeName = target.NodeName };
        var engine = engineFactory?.Invoke() ?? new LibPcapCaptureEngine();

        var host = await ConsoleHost.StartAsync(akka => akka.AddCaptureAgent(options, engine), cancellationToken).ConfigureAwait(false);
        try
        {
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            var guardian = await registry.GetAsync<AgentGuardian>(cancellationToken).ConfigureAwait(false);
            var system = host.Services.GetRequiredService<ActorSystem>();
            return new AgentConnection(system, guardian, () => ConsoleHost.StopAsync(host));
        }
        catch
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            host.Dispose();
            throw;
        }
    }
}
