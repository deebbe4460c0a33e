using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Commands.Probes;

/// <summary>
/// <c>traceroute HOST</c> and <c>traceroute6 HOST</c> <c>[-m MAXHOPS] [-q N] [-w WAIT] [-n] [--dns-server IP[:PORT]]</c>:
/// the path from the node to the host, one line per hop as soon as the hop is done, each hop named by the node's reverse
/// lookup (<c>name (address)</c>, as traceroute); <c>-n</c> prints addresses only and looks nothing up.
/// </summary>
public static class TracerouteCommand
{
    public static Command Create(CommandRuntime runtime, bool ipv6)
    {
        var name = ipv6 ? "traceroute6" : "traceroute";
        var host = new Argument<string>("HOST") { Description = $"Name or {(ipv6 ? "IPv6" : "IPv4")} address to trace" };
        var maxHops = new Option<string?>("--max-hops", "-m") { Description = $"Largest TTL to try (1 to {Traceroute.MaxMaxHops}; default {Traceroute.DefaultMaxHops})", HelpName = "MAXHOPS" };
        var queries = new Option<string?>("--queries", "-q") { Description = $"Probes per hop (1 to {Traceroute.MaxProbesPerHop}; default {Traceroute.DefaultProbesPerHop})", HelpName = "N" };
        var wait = new Option<string?>("--wait", "-w") { Description = "Seconds to wait for a hop's answers (0.1 to 10; default 2)", HelpName = "WAIT" };
        var numeric = new Option<bool>("-n") { Description = "Print addresses only: no reverse lookups of the hops" };
        var dnsServer = new Option<string?>("--dns-server") { Description = "Look the hops' names up on this DNS server instead of the node's resolvers", HelpName = "IP[:PORT]" };
        var command = new Command(name, $"Show the {(ipv6 ? "IPv6" : "IPv4")} path from the node to a host, hop by hop (ICMP echo probes)")
        {
            host, maxHops, queries, wait, numeric, dnsServer,
        };
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            p =>
            {
                var target = p.GetValue(host)?.Trim() ?? "";
                if (target.Length == 0)
                {
                    throw new UsageException($"{name}: HOST is empty: give a host name or an IP address");
                }

                var hops = IcmpArguments.Integer("-m", p.GetValue(maxHops), Traceroute.DefaultMaxHops, 1, Traceroute.MaxMaxHops, "max hops");
                var probes = IcmpArguments.Integer("-q", p.GetValue(queries), Traceroute.DefaultProbesPerHop, 1, Traceroute.MaxProbesPerHop, "probes per hop");
                var waitTime = IcmpArguments.Seconds("-w", p.GetValue(wait), Traceroute.DefaultWait, Traceroute.MinWait, Traceroute.MaxWait, "wait");
                var server = p.GetValue(dnsServer);
                if (server is not null && !SmtpPingArguments.TryParseDnsServer(server, out _, out var dnsError))
                {
                    throw new UsageException($"--dns-server: {dnsError}");
                }

                var numericOnly = p.GetValue(numeric);
                return id => new Traceroute(id, target, ipv6 ? IcmpFamily.V6 : IcmpFamily.V4, hops, probes, waitTime, numericOnly, numericOnly ? null : server);
            },
            new Output(ipv6),
            cancellationToken));
        return command;
    }

    /// <summary>Streams each hop; for several nodes, each node's path again under its name at the end.</summary>
    private sealed class Output(bool ipv6) : ProbeOutput<TracerouteReport>
    {
        public override void OnEvent(AppIo io, string? node, IProbeEvent probeEvent)
        {
            var prefix = node is null ? "" : $"{node}: ";
            switch (probeEvent)
            {
                case TracerouteStarted started:
                    io.Out.WriteLine(prefix + TracerouteRenderer.Started(started, ipv6));
                    break;
                case TracerouteHopDone done:
                    io.Out.WriteLine(prefix + TracerouteRenderer.Hop(done.Hop));
                    break;
            }
        }

        /// <summary>The hops were printed as they came; only an interruption is left to say.</summary>
        public override void Render(AppIo io, TracerouteReport result)
        {
            if (result.Interrupted)
            {
                io.Out.WriteLine("(interrupted)");
            }
        }

        public override void RenderNodes(AppIo io, IReadOnlyList<NodeProbeResult<TracerouteReport>> results)
        {
            var console = io.CreateConsole();
            foreach (var node in results)
            {
                console.Write(new Rule(Markup.Escape(node.Node)).LeftJustified());
                if (node.Result is { } report)
                {
                    io.Out.WriteLine($"to {report.Host} ({report.Address}){(report.Reached ? "" : ", not reached")}");
                    foreach (var line in TracerouteRenderer.Hops(report))
                    {
                        io.Out.WriteLine(line);
                    }
                }
                else
                {
                    console.MarkupLineInterpolated($"[red]{node.Error}[/]");
                }
            }
        }
    }
}
