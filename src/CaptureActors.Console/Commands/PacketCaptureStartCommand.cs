using System.CommandLine;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>packetcapture start [settings] [--detach]</c>. Attached (default): live status until a limit ends the capture
/// or Ctrl-C stops it. <c>--detach</c>: the capture runs on in its own process.
/// </summary>
public static class PacketCaptureStartCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var settings = new SettingsOptions();
        var detach = new Option<bool>("--detach") { Description = "Leave the capture running after capturectl exits" };
        var runDetached = new Option<bool>("--run-detached") { Hidden = true };
        var allOrNothing = new Option<bool>("--all-or-nothing") { Description = "With several nodes: if any node cannot start, stop it on the others" };

        var command = new Command("start", "Start a capture; attached it runs until a limit or Ctrl-C, --detach leaves it running");
        settings.AddTo(command);
        command.Options.Add(detach);
        command.Options.Add(runDetached);
        command.Options.Add(allOrNothing);
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            settings.Bind,
            (context, options) =>
            {
                if (context.ParseResult.GetValue(runDetached))
                {
                    return new AttachedCapture(context, AttachedCapture.DefaultPollInterval).RunAsync(options, detached: true);
                }

                if (context.ParseResult.GetValue(detach))
                {
                    // A remote agent keeps a detached capture itself; the embedded one needs a process of its own.
                    return context.Target.IsRemote
                        ? new AttachedCapture(context, AttachedCapture.DefaultPollInterval).StartDetachedAsync(options)
                        : new DetachedLauncher(context).LaunchAsync(settings.ToArguments(context.ParseResult));
                }

                return new AttachedCapture(context, AttachedCapture.DefaultPollInterval).RunAsync(options, detached: false);
            },
            cancellationToken,
            (nodes, options) => NodesCapture.StartAsync(nodes, options, nodes.ParseResult.GetValue(detach), nodes.ParseResult.GetValue(allOrNothing))));
        return command;
    }
}
