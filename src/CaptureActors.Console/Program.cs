using System.Runtime.InteropServices;
using CaptureActors.Console;
using CaptureActors.Console.Agent;

// SIGINT and SIGTERM cancel the command instead of killing the process: an attached capture then sends StopCapture,
// prints its final status and the embedded agent shuts down cleanly.
using var interrupted = new CancellationTokenSource();
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

return await CapturectlApp.RunAsync(
    args,
    new NodeAgentConnector(new EmbeddedAgentConnector(), new RemoteAgentConnector()),
    AppIo.ForProcessConsole(),
    AgentClient.DefaultTimeout,
    interrupted.Token);
