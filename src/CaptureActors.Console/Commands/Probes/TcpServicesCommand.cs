using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands.Probes;

/// <summary><c>tcpservices</c>: the node's listening sockets with their process and user.</summary>
public static class TcpServicesCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("tcpservices", "List listening TCP and UDP sockets with the process and user holding each");
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            _ => id => new ListTcpServices(id),
            new Output(),
            cancellationToken));
        return command;
    }

    private sealed class Output : ProbeOutput<TcpServicesReport>
    {
        public override void Render(AppIo io, TcpServicesReport result) =>
            io.CreateConsole().Write(TcpServicesRenderer.Render(result));
    }
}
