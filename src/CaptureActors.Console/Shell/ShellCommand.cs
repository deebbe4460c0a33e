using System.CommandLine;
using System.Runtime.InteropServices;

namespace CaptureActors.Console.Shell;

/// <summary>
/// <c>capturectl shell</c>: the interactive shell. A hang-up (terminal closed) or SIGTERM ends it like <c>exit</c>: the
/// captures started in it are stopped before the process exits.
/// </summary>
public static class ShellCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("shell", "Interactive menus in the appliance's style (packetcapture, diagnostic, netstat, ...), with completion and history");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(runtime.Globals.Json))
            {
                runtime.ReportError(true, "usage", "the shell is interactive: --json is not supported", null);
                return ExitCodes.Usage;
            }

            using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                hangUp.Cancel();
            });

            ShellSession session;
            var history = new ShellHistory(ShellHistory.DefaultPath());
            try
            {
                ILineReader reader = System.Console.IsInputRedirected
                    ? new PlainLineReader(System.Console.In, runtime.Io.Out)
                    : new TerminalLineEditor(history, runtime.Io.Out);
                session = new ShellSession(runtime, new ShellConnector(runtime.Connector), reader, history, parseResult, hangUp.Token);
            }
            catch (UsageException usage)
            {
                runtime.ReportError(false, "usage", usage.Message, null);
                return ExitCodes.Usage;
            }
            catch (Controller.Nodes.NodeSelectionException selection)
            {
                runtime.ReportError(false, "usage", selection.Message, null);
                return ExitCodes.Usage;
            }

            return await session.RunAsync().ConfigureAwait(false);
        });
        return command;
    }
}
