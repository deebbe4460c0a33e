using CaptureActors.Agent.Hosting;
using CaptureActors.Agent.Storage;
using CaptureActors.Capture;

// capture-agent --name NAME --listen HOST:PORT --data-dir DIR [--config FILE] [--public-host HOST] (design.md §6)
// stdout carries exactly one line, the startup line. Anything else written to Console.Out (Akka's fallback logger,
// before its logger factory starts or after it stops) goes to stderr with the logs.
var stdout = Console.Out;
// Capture files, sidecars and setup are created 0640 (owner and group), whoever started the agent (DataDirectoryGuard).
DataDirectoryGuard.RestrictFileCreationMask();
Console.SetOut(Console.Error);

return await AgentCommandLine.RunAsync(
    args,
    (settings, cancellation) => AgentHost.RunAsync(settings, new LibPcapCaptureEngine(), Announce, Console.Error, cancellation),
    Console.Error);

void Announce(string line)
{
    stdout.WriteLine(line);
    stdout.Flush();
}
