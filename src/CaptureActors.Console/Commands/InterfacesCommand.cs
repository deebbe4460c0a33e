using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary><c>interfaces</c>: the node's interfaces and whether they can be captured.</summary>
public static class InterfacesCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("interfaces", "List the node's network interfaces");
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            async context =>
            {
                var listing = await context.Client.RequestAsync<InterfaceListing>(ListInterfaces.Instance, context.CancellationToken).ConfigureAwait(false);
                if (context.Json)
                {
                    JsonOutput.Write(context.Io.Out, listing);
                }
                else
                {
                    context.Io.CreateConsole().Write(InterfacesRenderer.Render(listing));
                }

                return ExitCodes.Done;
            },
            cancellationToken));
        return command;
    }
}
