using CaptureActors.Console;
using CaptureActors.Console.Agent;

// SIGINT and SIGTERM cancel the command instead of killing the process: an attached capture then sends StopCapture,
// prints its final status and the embedded agent shuts down cleanly. The shell takes SIGINT over for its commands.
using var signals = new ConsoleSignals();

return await CapturectlApp.RunAsync(
    args,
    new NodeAgentConnector(new EmbeddedAgentConnector(), new RemoteAgentConnector()),
    AppIo.ForProcessConsole(),
    AgentClient.DefaultTimeout,
    signals.Terminated,
    signals);
