using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>packetcapture setup [options]</c>: without options shows the node's stored settings; with options changes them
/// (<c>none</c> removes a limit, e.g. <c>--duration none</c>).
/// </summary>
public static class PacketCaptureSetupCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var settings = new SettingsOptions();
        var command = new Command("setup", "Show the node's stored capture settings, or change them with options ('none' removes a limit)");
        settings.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            result => settings.NoneGiven(result) ? (ICaptureProtocol)GetSetup.Instance : new UpdateSetup(settings.Bind(result)),
            RunAsync,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ICaptureProtocol request)
    {
        var report = await context.Client.RequestAsync<SetupReport>(request, context.CancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, report);
        }
        else
        {
            context.Io.CreateConsole().Write(SetupRenderer.Render(report));
        }

        return ExitCodes.Done;
    }
}
