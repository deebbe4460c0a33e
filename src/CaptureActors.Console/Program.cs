using CaptureActors.Agent.Storage;
using CaptureActors.Console;
using CaptureActors.Console.Agent;

// As capture-agent: what the embedded agent writes (captures, sidecars, setup) and what capturectl saves (downloads,
// merges) is created 0640 in 0750 directories, never readable by every user of the machine.
DataDirectoryGuard.RestrictFileCreationMask();

// SIGINT and SIGTERM cancel the command instead of killing the process: an attached capture then sends StopCapture,
// prints its final status and the embedded agent shuts down cleanly. The shell takes SIGINT over for its commands.
using var signals = new ConsoleSignals();

return await CapturectlApp.RunAsync(
    args,
    new NodeAgentConnector(new EmbeddedAgentConnector(warnings: System.Console.Error), new RemoteAgentConnector()),
    AppIo.ForProcessConsole(),
    AgentClient.DefaultTimeout,
    signals.Terminated,
    signals);
