using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands.Probes;

/// <summary><c>netstat sockets|interfaces|routes|listen|traffic</c>: the node's network state, one view per subcommand.</summary>
public static class NetstatCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("netstat", "Show the node's sockets, interface counters, routes, listen queues or live traffic");
        command.Subcommands.Add(Simple(
            runtime, "sockets", "TCP and UDP sockets (IPv4 and IPv6) with their queues and states", id => new ListNetstatSockets(id),
            new Output<NetstatSocketsReport>((io, r) => io.CreateConsole().Write(NetstatRenderer.Sockets(r)))));
        command.Subcommands.Add(Interfaces(runtime));
        command.Subcommands.Add(Simple(
            runtime, "routes", "IPv4 and IPv6 routing tables", id => new ListNetstatRoutes(id),
            new Output<NetstatRoutesReport>((io, r) => WriteAll(io, NetstatRenderer.Routes(r)))));
        command.Subcommands.Add(Simple(
            runtime, "listen", "TCP listeners' accept queues: current (qlen), handshaking (incqlen) and maximum (maxqlen)", id => new ListNetstatListenQueues(id),
            new Output<NetstatListenReport>((io, r) => io.CreateConsole().Write(NetstatRenderer.Listen(r)))));
        command.Subcommands.Add(Traffic(runtime));
        return command;
    }

    private static Command Simple<TResult>(CommandRuntime runtime, string name, string description, Func<string, IProbeCommand> create, ProbeOutput<TResult> output)
        where TResult : class, IProbeResult
    {
        var command = new Command(name, description);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(runtime, parseResult, _ => create, output, cancellationToken));
        return command;
    }

    /// <summary><c>netstat interfaces [--drops]</c>: the drop columns only when asked, as BSD's <c>netstat -i -d</c>.</summary>
    private static Command Interfaces(CommandRuntime runtime)
    {
        var drops = new Option<bool>("--drops", "-d") { Description = "Also show the drop counters: Idrop (received) and Drop (sent)" };
        var command = new Command("interfaces", "Interfaces with MTU, addresses and packet, error and byte counters (drops with --drops)");
        command.Options.Add(drops);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            _ => id => new ListNetstatInterfaces(id),
            new Output<NetstatInterfacesReport>((io, r) => io.CreateConsole().Write(NetstatRenderer.Interfaces(r, parseResult.GetValue(drops)))),
            cancellationToken));
        return command;
    }

    private static Command Traffic(CommandRuntime runtime)
    {
        var interval = new Option<string>("--interval")
        {
            Description = $"Length of one sample, {DurationText.Format(NetstatTrafficLimits.MinInterval)} to {DurationText.Format(NetstatTrafficLimits.MaxInterval)} (default 1s)",
            DefaultValueFactory = _ => "1s",
        };
        var count = new Option<int?>("--count")
        {
            Description = $"Samples to take, 1 to {NetstatTrafficLimits.MaxCount}; without it, until Ctrl-C (at most {DurationText.Format(NetstatTrafficLimits.MaxRun)})",
        };
        var command = new Command("traffic", "Per-interface packets, errors, drops, bytes and collisions, in and out, per interval");
        command.Options.Add(interval);
        command.Options.Add(count);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            p =>
            {
                var text = p.GetValue(interval) ?? "1s";
                if (!DurationText.TryParse(text, out var length, out var error))
                {
                    throw new UsageException($"--interval: {error}; allowed {DurationText.Format(NetstatTrafficLimits.MinInterval)} to {DurationText.Format(NetstatTrafficLimits.MaxInterval)}");
                }

                var samples = p.GetValue(count);
                if (NetstatTrafficLimits.Check(length, samples) is { } problem)
                {
                    throw new UsageException((samples is < 1 or > NetstatTrafficLimits.MaxCount ? "--count: " : "--interval: ") + problem);
                }

                return id => new WatchNetstatTraffic(id, length, samples);
            },
            new TrafficOutput(),
            cancellationToken));
        return command;
    }

    private static void WriteAll(AppIo io, IEnumerable<Spectre.Console.Rendering.IRenderable> parts)
    {
        var console = io.CreateConsole();
        foreach (var part in parts)
        {
            console.Write(part);
        }
    }

    private sealed class Output<TResult>(Action<AppIo, TResult> render) : ProbeOutput<TResult>
        where TResult : class, IProbeResult
    {
        public override void Render(AppIo io, TResult result) => render(io, result);
    }

    private sealed class TrafficOutput : ProbeOutput<NetstatTrafficReport>
    {
        public override void OnEvent(AppIo io, string? node, IProbeEvent probeEvent)
        {
            if (probeEvent is TrafficSample sample)
            {
                WriteAll(io, NetstatRenderer.TrafficSample(node, sample));
            }
        }

        public override void Render(AppIo io, NetstatTrafficReport result) => WriteAll(io, NetstatRenderer.TrafficSummary(result));
    }
}
