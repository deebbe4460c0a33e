using CaptureActors.Agent.Hosting;
using CaptureActors.Capture;

// capture-agent --name NAME --listen HOST:PORT --data-dir DIR [--config FILE] [--public-host HOST] (design.md §6)
// stdout carries exactly one line, the startup line. Anything else written to Console.Out (Akka's fallback logger,
// before its logger factory starts or after it stops) goes to stderr with the logs.
var stdout = Console.Out;
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
