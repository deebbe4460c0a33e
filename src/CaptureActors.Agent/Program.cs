using CaptureActors.Agent.Hosting;
using CaptureActors.Capture;

// capture-agent --name NAME --listen HOST:PORT --data-dir DIR [--config FILE] [--public-host HOST] (design.md §6)
return await AgentCommandLine.RunAsync(
    args,
    (settings, cancellation) => AgentHost.RunAsync(settings, new LibPcapCaptureEngine(), Announce, cancellation),
    Console.Error);

// stdout carries exactly one line, the startup line; Akka's last words at shutdown (written to Console.Out once the
// logger factory is gone) then go to stderr with the logs.
static void Announce(string line)
{
    Console.Out.WriteLine(line);
    Console.Out.Flush();
    Console.SetOut(Console.Error);
}
