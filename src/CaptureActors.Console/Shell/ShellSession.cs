using System.CommandLine;
using System.Text.Json;
using CaptureActors.Console.Rendering;
using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Shell;

/// <summary>
/// <c>capturectl shell</c>: the appliance's menus over capturectl's own commands. Every menu answer becomes a
/// capturectl command line run in this process through <see cref="CapturectlApp.RunAsync(string[], Agent.IAgentConnector, AppIo, TimeSpan, CancellationToken, ConsoleSignals?)"/>
/// with the shell's <see cref="ShellConnector"/>: one connection and one session actor for the shell's whole life,
/// so a capture started here belongs to the shell and ends with it.
/// </summary>
public sealed class ShellSession
{
    private static readonly string[] NetstatViews = ["sockets", "interfaces", "routes", "listen", "traffic"];

    private readonly CommandRuntime _runtime;
    private readonly ShellConnector _connector;
    private readonly ILineReader _reader;
    private readonly ShellHistory _history;
    private readonly CancellationToken _lifetime;
    private readonly IReadOnlyList<string> _fixedArguments;
    private readonly NodeRegistry _registry;
    private readonly string _localName;
    private readonly ShellMenu _packetCapture;
    private readonly ShellMenu _diagnostic;
    private readonly ShellMenu _netstat;
    private readonly ShellMenu _etherconfig;
    private readonly Queue<string> _pending = new();
    private IReadOnlyList<string> _selected;
    private CancellationTokenSource? _command;

    public ShellSession(
        CommandRuntime runtime,
        ShellConnector connector,
        ILineReader reader,
        ShellHistory history,
        ParseResult parseResult,
        CancellationToken lifetime)
    {
        _runtime = runtime;
        _connector = connector;
        _reader = reader;
        _history = history;
        _lifetime = lifetime;

        var globals = runtime.Globals;
        var nodeOptions = parseResult.GetValue(globals.Node) ?? [];
        var nodeFiles = parseResult.GetValue(globals.NodesFile) ?? [];
        var fixedArguments = new List<string>
        {
            "--data-dir", parseResult.GetValue(globals.DataDirectory)!,
            "--node-name", parseResult.GetValue(globals.NodeName)!,
        };
        fixedArguments.AddRange(nodeOptions.SelectMany(n => new[] { "--node", n }));
        fixedArguments.AddRange(nodeFiles.SelectMany(f => new[] { "--nodes", f }));
        if (parseResult.GetValue(globals.ConsoleHost) is { } consoleHost)
        {
            fixedArguments.AddRange(["--console-host", consoleHost]);
        }

        _fixedArguments = fixedArguments;
        _localName = parseResult.GetValue(globals.NodeName)!;
        var target = globals.Target(parseResult, everyNode: true);
        _registry = NodeRegistry.Load(nodeOptions, nodeFiles);
        _selected = [.. target.RemoteNodes.Select(n => n.Name)];

        _packetCapture = new ShellMenu("packetcapture", "Packet capture", [
            new ShellAction("START", "Start a capture with the current setup; it runs until STOP, a limit, or until you leave the shell.", () => RunAsync("packetcapture", "start")),
            new ShellAction("STOP", "Stop the running capture.", () => RunAsync("packetcapture", "stop")),
            new ShellAction("STATUS", "Show the capture's state, counters and files.", () => RunAsync("packetcapture", "status")),
            new ShellAction("SETUP", "Change the interfaces, filter, maximum file size and duration.", SetupAsync),
            new ShellAction("FILES", "List the capture files.", () => RunAsync("packetcapture", "files")),
            new ShellAction("DOWNLOAD", "Copy a capture file to a directory here.", DownloadAsync),
            new ShellAction("DELETE", "Delete a finished capture file.", DeleteAsync),
        ]);
        var tcpdump = new ShellMenu("TCPDUMP", "Capture packets (tcpdump).", [
            new ShellAction("START", "Start the capture.", () => RunAsync("packetcapture", "start")),
            new ShellAction("STOP", "Stop the capture.", () => RunAsync("packetcapture", "stop")),
            new ShellAction("STATUS", "Show the capture's status.", () => RunAsync("packetcapture", "status")),
            new ShellAction("FILTER", "Set the capture filter (tcpdump syntax).", () => AskFilterAsync(null)),
            new ShellAction("INTERFACE", "Choose the interface(s) to capture on.", () => AskInterfacesAsync(null)),
            new ShellAction("CLEAR", "Delete the finished capture files.", () => RunAsync("packetcapture", "clear")),
        ]);
        var network = new ShellMenu("NETWORK", "Network Utilities.", [
            new ShellAction("FLUSH", "Flush the ARP and NDP caches and the DNS cache.", FlushAsync),
            new ShellAction("ARPSHOW", "Show the ARP cache.", () => RunAsync("diagnostic", "network", "arpshow")),
            new ShellAction("NDPSHOW", "Show the IPv6 neighbour cache.", () => RunAsync("diagnostic", "network", "ndpshow")),
            new ShellAction("SMTPPING", "Test an SMTP server.", SmtpPingAsync),
            tcpdump,
        ]);
        _diagnostic = new ShellMenu("diagnostic", "Diagnostics", [
            new ShellAction("RAID", "Disk verify utility.", () =>
            {
                Say("RAID: this node reports no RAID status; DISK_USAGE shows what the captures use.");
                return Task.CompletedTask;
            }),
            new ShellAction("DISK_USAGE", "Check the disk usage of the capture directory.", DiskUsageAsync),
            network,
            NotHere("REPORTING", "The Reporting System.", "this node keeps no reporting database; capture files and their sidecars are its records (packetcapture > FILES)."),
            NotHere("TRACKING", "The Tracking System.", "this node keeps no message tracking database."),
            NotHere("RELOAD", "Reset configuration to the initial manufacturer values.", "this node's configuration is its capture setup (packetcapture > SETUP) and its agent's files, which the shell does not reset."),
            NotHere("SERVICES", "Service Utilities.", "the agent runs as the system service capture-agent; manage it with systemctl on the node."),
        ]);
        _netstat = new ShellMenu(
            "netstat",
            "Network status",
            [
                new ShellAction("sockets", "List of active sockets.", () => RunAsync("netstat", "sockets")),
                new ShellAction("interfaces", "State of network interfaces.", NetstatInterfacesAsync),
                new ShellAction("routes", "Contents of routing tables.", () => RunAsync("netstat", "routes")),
                new ShellAction("listen", "Size of the listen queues.", () => RunAsync("netstat", "listen")),
                new ShellAction("traffic", "Packet traffic information.", () =>
                {
                    Say("Press Ctrl-C to stop.");
                    return RunAsync("netstat", "traffic");
                }),
            ],
            Numbered: true,
            Question: "Choose the information you want to display:");
        _etherconfig = new ShellMenu("etherconfig", "Ethernet settings", [
            new ShellAction("MEDIA", "View the speed, duplex and link of the interfaces.", () => RunAsync("etherconfig", "media")),
            new ShellAction("VLAN", "View the VLAN interfaces.", () => RunAsync("etherconfig", "vlan")),
            new ShellAction("LOOPBACK", "View the loopback interfaces.", () => RunAsync("etherconfig", "loopback")),
            new ShellAction("MTU", "View the MTU of the interfaces.", () => RunAsync("etherconfig", "mtu")),
            new ShellAction("MULTICAST", "View the multicast and ARP settings.", () => RunAsync("etherconfig", "multicast")),
        ]);
    }

    private enum Outcome
    {
        Back,
        Top,
        Leave,
    }

    /// <summary>The top-level commands, for help and completion.</summary>
    public static IReadOnlyList<(string Name, string Description)> Commands { get; } =
    [
        ("packetcapture", "Capture packets: START, STOP, STATUS, SETUP, FILES, DOWNLOAD, DELETE"),
        ("diagnostic", "RAID, DISK_USAGE, NETWORK (FLUSH, ARPSHOW, NDPSHOW, SMTPPING, TCPDUMP), REPORTING, TRACKING, RELOAD, SERVICES"),
        ("tcpservices", "Listening sockets and the processes that own them"),
        ("netstat", "Sockets, interfaces, routes, listen queues, traffic (1-5)"),
        ("etherconfig", "MEDIA, VLAN, LOOPBACK, MTU, MULTICAST"),
        ("interfaces", "The node's interfaces"),
        ("ping", "ping HOST: is HOST reachable (Ctrl-C stops it)"),
        ("traceroute", "traceroute HOST: the path to HOST (Ctrl-C stops it)"),
        ("traceroute6", "traceroute6 HOST: the IPv6 path to HOST (Ctrl-C stops it)"),
        ("nodes", "The configured nodes"),
        ("use", "use NAME[,NAME...]: the nodes the next commands run on"),
        ("help", "This list"),
        ("exit", "Leave the shell (a capture started here stops)"),
    ];

    private string Prompt => _selected.Count switch
    {
        0 => $"{_localName}> ",
        1 => $"{_selected[0]}> ",
        _ => $"[{string.Join(",", _selected)}]> ",
    };

    /// <summary>Reads and runs commands until exit, Ctrl-D or the end of the shell's lifetime, then ends the session.</summary>
    public async Task<int> RunAsync()
    {
        using var interrupts = _runtime.Signals?.InterceptInterrupt(CancelCommand);
        try
        {
            Say($"capturectl shell on {Describe()}. Type 'help' for the commands; an empty answer goes back one menu; 'exit' or Ctrl-D leaves.");
            while (!_lifetime.IsCancellationRequested)
            {
                var input = await ReadAsync(Prompt, CompleteTop).ConfigureAwait(false);
                if (input.Kind == LineKind.EndOfInput)
                {
                    break;
                }

                if (input.Kind == LineKind.Interrupted || string.IsNullOrWhiteSpace(input.Text))
                {
                    continue;
                }

                if (await DispatchAsync(input.Text.Trim()).ConfigureAwait(false) == Outcome.Leave)
                {
                    break;
                }
            }
        }
        finally
        {
            await _connector.CloseAsync(Say, _runtime.AskTimeout).ConfigureAwait(false);
            Say("bye");
        }

        return ExitCodes.Done;
    }

    private async Task<Outcome> DispatchAsync(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var name = words[0].ToLowerInvariant();
        var rest = words.Skip(1).ToList();
        switch (name)
        {
            case "exit" or "quit":
                return Outcome.Leave;
            case "help" or "?":
                Help();
                return Outcome.Back;
            case "packetcapture":
                return await MenuAsync(_packetCapture, rest).ConfigureAwait(false);
            case "diagnostic":
                return await MenuAsync(_diagnostic, rest).ConfigureAwait(false);
            case "netstat":
                return await MenuAsync(_netstat, rest).ConfigureAwait(false);
            case "etherconfig":
                return await MenuAsync(_etherconfig, rest).ConfigureAwait(false);
            case "tcpservices" or "interfaces" or "nodes":
                await RunAsync(name).ConfigureAwait(false);
                return Outcome.Back;
            case "ping" or "traceroute" or "traceroute6":
                return await ProbeHostAsync(name, rest).ConfigureAwait(false);
            case "use":
                Use(rest);
                return Outcome.Back;
            default:
                Say($"Unknown command '{words[0]}': type one of {string.Join(", ", Commands.Select(c => c.Name))} ('help' explains them).");
                return Outcome.Back;
        }
    }

    /// <summary>Shows a menu and runs what is chosen until an empty answer (back), Ctrl-C (top) or Ctrl-D (leave).</summary>
    /// <param name="answers">Choices typed ahead on the command line, e.g. <c>diagnostic network tcpdump</c>.</param>
    private async Task<Outcome> MenuAsync(ShellMenu menu, IReadOnlyList<string> answers)
    {
        foreach (var answer in answers)
        {
            _pending.Enqueue(answer);
        }

        string? hint = null;
        while (!_lifetime.IsCancellationRequested)
        {
            if (_pending.Count == 0)
            {
                foreach (var text in menu.Lines())
                {
                    Say(text);
                }

                if (hint is not null)
                {
                    Say(hint);
                    hint = null;
                }
            }

            var input = _pending.TryDequeue(out var typed) ? new LineInput(LineKind.Text, typed) : await ReadAsync("[]> ", _ => menu.Items.Select(i => i.Name).ToList()).ConfigureAwait(false);
            switch (input.Kind)
            {
                case LineKind.EndOfInput:
                    return Outcome.Leave;
                case LineKind.Interrupted:
                    return Outcome.Top;
            }

            if (string.IsNullOrWhiteSpace(input.Text))
            {
                return Outcome.Back;
            }

            switch (menu.Find(input.Text))
            {
                case null:
                    _pending.Clear();
                    hint = $"Unknown choice '{input.Text.Trim()}': type one of {menu.Choices}, or press Enter to go back.";
                    break;
                case ShellMenu submenu:
                    var outcome = await MenuAsync(submenu, []).ConfigureAwait(false);
                    if (outcome != Outcome.Back)
                    {
                        return outcome;
                    }

                    break;
                case ShellAction action:
                    await action.RunAsync().ConfigureAwait(false);
                    break;
            }
        }

        return Outcome.Leave;
    }

    private async Task<Outcome> ProbeHostAsync(string command, IReadOnlyList<string> rest)
    {
        var host = rest.Count > 0 ? rest[0] : null;
        if (host is null)
        {
            var answer = await AskAsync("Enter the hostname or IP address to reach:", null).ConfigureAwait(false);
            if (answer is not { Length: > 0 })
            {
                return Outcome.Back;
            }

            host = answer;
        }

        if (command != "ping")
        {
            // ping says it itself when it runs until stopped.
            Say("Press Ctrl-C to stop.");
        }

        await RunAsync([command, host, .. rest.Skip(1)]).ConfigureAwait(false);
        return Outcome.Back;
    }

    private async Task SetupAsync()
    {
        var current = await CurrentSetupAsync().ConfigureAwait(false);
        if (current is null)
        {
            return;
        }

        if (!await AskInterfacesAsync(current).ConfigureAwait(false)
            || !await AskFilterAsync(current).ConfigureAwait(false)
            || !await AskSettingAsync("Enter the maximum size of a capture file (e.g. 200MB, or 'none' for no limit):", current.MaxFileSizeBytes is { } size ? ByteSize.Format(size) : "none", "--max-size", _ => []).ConfigureAwait(false)
            || !await AskSettingAsync("Enter how long a capture runs (e.g. 30s, 10m, 1h, or 'none' until stopped):", current.MaxDuration is { } duration ? DurationText.Format(duration) : "none", "--duration", _ => []).ConfigureAwait(false))
        {
            return;
        }

        await RunAsync("packetcapture", "setup").ConfigureAwait(false);
    }

    private async Task<bool> AskInterfacesAsync(CaptureSettings? current)
    {
        current ??= await CurrentSetupAsync().ConfigureAwait(false);
        if (current is null)
        {
            return false;
        }

        var listing = await JsonAsync<InterfaceListing>("interfaces").ConfigureAwait(false);
        var names = listing?.Interfaces.Select(i => i.Name).Append("any").Distinct().ToList() ?? ["any"];
        var up = listing?.Interfaces.Where(i => i.IsUp).Select(i => i.Name).ToList() ?? [];
        var question = up.Count > 0
            ? $"Enter the interface(s) to capture on, comma-separated (up: {string.Join(", ", up)}; Tab lists all):"
            : "Enter the interface(s) to capture on, comma-separated, or 'any':";
        return await AskSettingAsync(question, string.Join(",", current.Interfaces), "--interface", _ => names).ConfigureAwait(false);
    }

    private async Task<bool> AskFilterAsync(CaptureSettings? current)
    {
        current ??= await CurrentSetupAsync().ConfigureAwait(false);
        if (current is null)
        {
            return false;
        }

        return await AskSettingAsync(
            "Enter the filter (tcpdump syntax, e.g. 'tcp port 25 and host 10.1.1.1'; 'none' for every packet):",
            current.Filter.Length == 0 ? "none" : current.Filter,
            "--filter",
            _ => []).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks for one setting with its current value as default and stores the answer at once with
    /// <c>packetcapture setup OPTION VALUE</c>, which validates it on the node (the filter with the node's libpcap);
    /// a refused answer is explained by that command and the question repeats. False: the user went back.
    /// </summary>
    private async Task<bool> AskSettingAsync(string question, string current, string option, Func<string, IReadOnlyList<string>> complete)
    {
        while (!_lifetime.IsCancellationRequested)
        {
            var answer = await AskAsync(question, current, complete).ConfigureAwait(false);
            if (answer is null)
            {
                return false;
            }

            if (answer.Length == 0)
            {
                return true;
            }

            var value = option == "--filter" && string.Equals(answer, "none", StringComparison.OrdinalIgnoreCase) ? "" : answer;
            if (await RunAsync(quiet: true, ["packetcapture", "setup", option, value]).ConfigureAwait(false) == ExitCodes.Done)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Asks which of the node's capture files to <paramref name="verb"/> (Tab completes); null: none, or no answer.</summary>
    private async Task<string?> AskFileAsync(string verb)
    {
        var files = await FileNamesAsync().ConfigureAwait(false);
        if (files.Count == 0)
        {
            Say("There are no capture files.");
            return null;
        }

        var name = await AskAsync($"Enter the file to {verb} ({files.Count} file(s); Tab completes):", null, _ => files).ConfigureAwait(false);
        return name is { Length: > 0 } ? name : null;
    }

    private async Task DownloadAsync()
    {
        if (await AskFileAsync("download").ConfigureAwait(false) is not { } name)
        {
            return;
        }

        var directory = await AskAsync("Enter the directory to copy it to:", Environment.CurrentDirectory, LocalDirectories).ConfigureAwait(false);
        if (directory is null)
        {
            return;
        }

        await RunAsync("packetcapture", "download", name, "-o", directory.Length == 0 ? Environment.CurrentDirectory : directory).ConfigureAwait(false);
    }

    private async Task DeleteAsync()
    {
        if (await AskFileAsync("delete").ConfigureAwait(false) is { } name)
        {
            await RunAsync("packetcapture", "delete", name).ConfigureAwait(false);
        }
    }

    /// <summary>netstat's second choice: the appliance asks whether to show the drop counters (Idrop, Drop) first.</summary>
    private async Task NetstatInterfacesAsync()
    {
        var answer = await AskAsync("Show the number of dropped packets?", "N").ConfigureAwait(false);
        if (answer is null)
        {
            return;
        }

        await (answer.StartsWith('y') || answer.StartsWith('Y') ? RunAsync("netstat", "interfaces", "--drops") : RunAsync("netstat", "interfaces")).ConfigureAwait(false);
    }

    /// <summary>An operation of the appliance's menu that has no meaning on this node: chosen, it says why.</summary>
    private ShellAction NotHere(string name, string description, string why) =>
        new(name, description, () =>
        {
            Say($"{name}: does not apply here: {why}");
            return Task.CompletedTask;
        });

    private async Task DiskUsageAsync()
    {
        await RunAsync("packetcapture", "files").ConfigureAwait(false);
        if (await JsonAsync<FileListing>("packetcapture", "files") is { } listing)
        {
            Say($"capture files: {listing.Files.Count}, {ByteSize.Format(listing.Files.Sum(f => f.SizeBytes))} in total");
        }
    }

    private async Task FlushAsync()
    {
        var answer = await AskAsync("Flush the ARP and NDP caches and the DNS cache of the node? (y/N)", null).ConfigureAwait(false);
        if (answer is { } yes && yes.StartsWith('y'))
        {
            await RunAsync("diagnostic", "network", "flush", "--yes").ConfigureAwait(false);
        }
    }

    private async Task SmtpPingAsync()
    {
        var host = await AskAsync("Enter the hostname, domain or IP address of the SMTP server (HOST[:PORT]):", null).ConfigureAwait(false);
        if (host is { Length: > 0 })
        {
            await RunAsync("diagnostic", "network", "smtpping", host).ConfigureAwait(false);
        }
    }

    private void Use(IReadOnlyList<string> names)
    {
        if (_registry.IsEmpty)
        {
            Say("use: no nodes are configured: start the shell with --node NAME=HOST:PORT or --nodes FILE");
            return;
        }

        if (names.Count == 0)
        {
            Say($"commands run on: {string.Join(", ", _selected)} (nodes: {string.Join(", ", _registry.Nodes.Select(n => n.Name))})");
            return;
        }

        try
        {
            _selected = [.. _registry.Select(names, all: names is ["all"]).Select(n => n.Name)];
            Say($"commands now run on: {string.Join(", ", _selected)}");
        }
        catch (NodeSelectionException e)
        {
            Say($"use: {e.Message}");
        }
    }

    private void Help()
    {
        Say("Commands (Tab completes; an empty answer goes back one menu; Ctrl-C stops a running command):");
        foreach (var (name, description) in Commands)
        {
            Say($"  {name,-14}{description}");
        }
    }

    private string Describe() => _selected.Count == 0 ? $"node {_localName} (embedded agent)" : $"node(s) {string.Join(", ", _selected)}";

    private IReadOnlyList<string> CompleteTop(string before)
    {
        var words = before.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var inFirstWord = !before.Contains(' ');
        if (inFirstWord)
        {
            return [.. Commands.Select(c => c.Name)];
        }

        return words[0].ToLowerInvariant() switch
        {
            "use" => [.. _registry.Nodes.Select(n => n.Name), "all"],
            "packetcapture" => [.. _packetCapture.Items.Select(i => i.Name)],
            "diagnostic" => [.. _diagnostic.Items.Select(i => i.Name)],
            "etherconfig" => [.. _etherconfig.Items.Select(i => i.Name)],
            "netstat" => ["1", "2", "3", "4", "5"],
            _ => [],
        };
    }

    private static IReadOnlyList<string> LocalDirectories(string before)
    {
        var start = before.LastIndexOf(' ') + 1;
        var word = before[start..];
        try
        {
            var directory = word.Contains('/') ? word[..(word.LastIndexOf('/') + 1)] : "";
            var search = directory.Length == 0 ? "." : directory;
            return Directory.Exists(search)
                ? [.. Directory.EnumerateDirectories(search).Select(d => directory + Path.GetFileName(d) + "/")]
                : [];
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    private async Task<string?> AskAsync(string question, string? current, Func<string, IReadOnlyList<string>>? complete = null)
    {
        Say(question);
        var input = await ReadAsync($"[{current}]> ", complete ?? (_ => [])).ConfigureAwait(false);
        return input.Kind == LineKind.Text ? input.Text.Trim() : null;
    }

    /// <summary>Reads a line on a thread of its own, so that a hang-up or SIGTERM ends the shell even while it waits.</summary>
    private async Task<LineInput> ReadAsync(string prompt, Func<string, IReadOnlyList<string>> complete)
    {
        var read = Task.Factory.StartNew(() => _reader.ReadLine(prompt, complete), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var ended = Task.Delay(Timeout.Infinite, _lifetime);
        if (await Task.WhenAny(read, ended).ConfigureAwait(false) != read)
        {
            return LineInput.End;
        }

        var input = await read.ConfigureAwait(false);
        if (input.Kind == LineKind.Text)
        {
            _history.Add(input.Text);
        }

        return input;
    }

    private Task<int> RunAsync(params string[] arguments) => RunAsync(quiet: false, arguments);

    /// <summary>Runs one capturectl command line through the shell's connections; Ctrl-C cancels only this command.</summary>
    /// <param name="quiet">Show only errors (a setting stored on the spot).</param>
    private async Task<int> RunAsync(bool quiet, string[] arguments)
    {
        using var command = CancellationTokenSource.CreateLinkedTokenSource(_lifetime);
        _command = command;
        try
        {
            var io = quiet ? _runtime.Io with { Out = TextWriter.Null } : _runtime.Io;
            return await CapturectlApp.RunAsync(WithTarget(arguments), _connector, io, _runtime.AskTimeout, command.Token).ConfigureAwait(false);
        }
        finally
        {
            _command = null;
            _runtime.Io.Out.Flush();
        }
    }

    /// <summary>Runs a command with <c>--json</c> and reads its document; null (the error shown) when it failed.</summary>
    private async Task<T?> JsonAsync<T>(params string[] arguments)
        where T : class
    {
        var output = new StringWriter();
        var exit = await CapturectlApp.RunAsync(WithTarget([.. arguments, "--json"]), _connector, _runtime.Io with { Out = output, IsTerminal = false, Color = false }, _runtime.AskTimeout, _lifetime).ConfigureAwait(false);
        if (exit != ExitCodes.Done)
        {
            try
            {
                var error = JsonDocument.Parse(output.ToString()).RootElement;
                _runtime.Io.WriteError(error.TryGetProperty("message", out var message) ? message.GetString() ?? output.ToString() : output.ToString());
            }
            catch (JsonException)
            {
                _runtime.Io.WriteError(output.ToString());
            }

            return null;
        }

        return JsonSerializer.Deserialize<T>(output.ToString(), JsonOutput.Options);
    }

    private async Task<CaptureSettings?> CurrentSetupAsync() =>
        (await JsonAsync<SetupReport>("packetcapture", "setup").ConfigureAwait(false))?.Settings;

    private async Task<IReadOnlyList<string>> FileNamesAsync() =>
        (await JsonAsync<FileListing>("packetcapture", "files").ConfigureAwait(false))?.Files.Select(f => f.Name).ToList() ?? [];

    private string[] WithTarget(string[] arguments) =>
        [.. arguments, .. _fixedArguments, .. _selected.Count > 0 ? new[] { "--on", string.Join(",", _selected) } : []];

    private void CancelCommand()
    {
        try
        {
            _command?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command has just ended.
        }
    }

    private void Say(string text)
    {
        try
        {
            _runtime.Io.Out.WriteLine(text);
            _runtime.Io.Out.Flush();
        }
        catch (IOException)
        {
            // The terminal is gone (hang-up): the shell still ends its session.
        }
    }
}
