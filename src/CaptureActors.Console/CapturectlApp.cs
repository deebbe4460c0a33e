using System.CommandLine;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Commands;
using CaptureActors.Console.Commands.Probes;
using CaptureActors.Console.Rendering;
using CaptureActors.Console.Shell;

namespace CaptureActors.Console;

/// <summary>
/// capturectl's command line: builds the command tree (design.md §7) and runs one command line against a node's agent.
/// Everything a test needs to vary comes in as arguments: the connector (fake guardian), the writers and the cancellation.
/// </summary>
public static class CapturectlApp
{
    public static Task<int> RunAsync(
        string[] args,
        IAgentConnector connector,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken) =>
        RunAsync(args, connector, AppIo.Plain(stdout, stderr), AgentClient.DefaultTimeout, cancellationToken);

    public static async Task<int> RunAsync(
        string[] args,
        IAgentConnector connector,
        AppIo io,
        TimeSpan askTimeout,
        CancellationToken cancellationToken,
        ConsoleSignals? signals = null)
    {
        var globals = new GlobalOptions();
        var runtime = new CommandRuntime(io, globals, connector, askTimeout) { Signals = signals };
        var root = BuildRoot(runtime);

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var message = string.Join(Environment.NewLine, parseResult.Errors.Select(e => e.Message));
            if (args.Contains("--json"))
            {
                JsonOutput.WriteError(io.Out, "usage", message);
            }
            else
            {
                foreach (var error in parseResult.Errors)
                {
                    io.WriteError(error.Message);
                }

                io.Error.WriteLine("Try 'capturectl --help'.");
            }

            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(
            new InvocationConfiguration
            {
                Output = io.Out,
                Error = io.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            },
            cancellationToken).ConfigureAwait(false);
    }

    public static RootCommand BuildRoot(CommandRuntime runtime)
    {
        var root = new RootCommand("capturectl: packet captures and network diagnostics on CaptureActors nodes");
        runtime.Globals.AddTo(root);

        var packetCapture = new Command("packetcapture", "Capture packets to pcap files, and manage the files");
        // The appliance's 6.x users type tcpdump (its shell names the capture menu diagnostic > network > tcpdump): the
        // same commands under that name, not a hint to retype.
        packetCapture.Aliases.Add("tcpdump");
        packetCapture.Subcommands.Add(PacketCaptureStartCommand.Create(runtime));
        packetCapture.Subcommands.Add(PacketCaptureStopCommand.Create(runtime));
        packetCapture.Subcommands.Add(PacketCaptureStatusCommand.Create(runtime));
        packetCapture.Subcommands.Add(PacketCaptureSetupCommand.Create(runtime));
        packetCapture.Subcommands.Add(PacketCaptureCheckFilterCommand.Create(runtime));
        packetCapture.Subcommands.Add(PacketCaptureFilesCommand.Create(runtime));
        packetCapture.Subcommands.Add(PacketCaptureDownloadCommand.Create(runtime));
        packetCapture.Subcommands.Add(PacketCaptureDeleteCommand.Create(runtime));
        packetCapture.Subcommands.Add(PacketCaptureClearCommand.Create(runtime));
        packetCapture.Subcommands.Add(PacketCaptureKeepCommand.Create(runtime));
        root.Subcommands.Add(packetCapture);
        root.Subcommands.Add(InterfacesCommand.Create(runtime));
        root.Subcommands.Add(NodesCommand.Create(runtime));
        root.Subcommands.Add(TcpServicesCommand.Create(runtime));
        root.Subcommands.Add(NetstatCommand.Create(runtime));
        root.Subcommands.Add(DiagnosticCommand.Create(runtime));
        root.Subcommands.Add(EtherconfigCommand.Create(runtime));
        root.Subcommands.Add(PingCommand.Create(runtime));
        root.Subcommands.Add(TracerouteCommand.Create(runtime, ipv6: false));
        root.Subcommands.Add(TracerouteCommand.Create(runtime, ipv6: true));
        root.Subcommands.Add(ShellCommand.Create(runtime));
        root.Subcommands.Add(ServeCommand.Create(runtime));
        return root;
    }
}
