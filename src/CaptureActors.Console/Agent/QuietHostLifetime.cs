using Microsoft.Extensions.Hosting;

namespace CaptureActors.Console.Agent;

/// <summary>
/// A host lifetime that leaves SIGINT/SIGTERM alone: capturectl handles them itself (an attached capture must send
/// StopCapture before the embedded agent goes down), and prints nothing.
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
