using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands.Probes;

/// <summary>
/// <c>ping HOST [-c N] [-i INTERVAL] [-s SIZE] [-4|-6] [-W TIMEOUT]</c>: echo requests from the node, each reply or
/// timeout printed as it happens, iputils' summary at the end (also after Ctrl-C, which stops the ping on the node).
/// Exit 1 when no reply came back.
/// </summary>
public static class PingCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var host = new Argument<string>("HOST") { Description = "Name or IP address to ping" };
        var count = new Option<string?>("--count", "-c") { Description = $"Stop after N requests (1 to {PingHost.MaxCount}; default: until Ctrl-C, at most 1 h)", HelpName = "N" };
        var interval = new Option<string?>("--interval", "-i") { Description = "Seconds between requests (0.2 to 60; default 1)", HelpName = "INTERVAL" };
        var size = new Option<string?>("--size", "-s") { Description = $"Data bytes per request (0 to {PingHost.MaxPayloadV4}, IPv6 {PingHost.MaxPayloadV6}; default {PingHost.DefaultPayloadSize})", HelpName = "SIZE" };
        var ipv4 = new Option<bool>("-4") { Description = "Use IPv4 only" };
        var ipv6 = new Option<bool>("-6") { Description = "Use IPv6 only" };
        var timeout = new Option<string?>("--timeout", "-W") { Description = "Seconds to wait for each reply (0.1 to 60; default 2)", HelpName = "TIMEOUT" };
        var command = new Command("ping", "Send ICMP echo requests from the node and report replies, loss and round trips")
        {
            host, count, interval, size, ipv4, ipv6, timeout,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var counted = parseResult.GetValue(count) is not null;
            return ProbeCommandRunner.RunAsync(
                runtime,
                parseResult,
                p => Prepare(p, host, count, interval, size, ipv4, ipv6, timeout),
                new Output(counted),
                cancellationToken);
        });
        return command;
    }

    private static Func<string, IProbeCommand> Prepare(
        ParseResult parseResult,
        Argument<string> hostArgument,
        Option<string?> countOption,
        Option<string?> intervalOption,
        Option<string?> sizeOption,
        Option<bool> ipv4Option,
        Option<bool> ipv6Option,
        Option<string?> timeoutOption)
    {
        var host = parseResult.GetValue(hostArgument)?.Trim() ?? "";
        if (host.Length == 0)
        {
            throw new UsageException("ping: HOST is empty: give a host name or an IP address");
        }

        var (v4, v6) = (parseResult.GetValue(ipv4Option), parseResult.GetValue(ipv6Option));
        if (v4 && v6)
        {
            throw new UsageException("ping: -4 and -6 exclude each other");
        }

        var literalV6 = IPAddress.TryParse(host, out var literal) && literal.AddressFamily == AddressFamily.InterNetworkV6 && !literal.IsIPv4MappedToIPv6;
        var family = v6 ? IcmpFamily.V6 : v4 ? IcmpFamily.V4 : IcmpFamily.Any;
        var countText = parseResult.GetValue(countOption);
        int? count = countText is null ? null : IcmpArguments.Integer("-c", countText, 0, 1, PingHost.MaxCount, "count");
        var interval = IcmpArguments.Seconds(
            "-i", parseResult.GetValue(intervalOption), PingHost.DefaultInterval, PingHost.MinInterval, PingHost.MaxInterval, "interval",
            " (iputils allows shorter intervals to root only; capturectl to nobody)");
        var maxSize = v6 || literalV6 ? PingHost.MaxPayloadV6 : PingHost.MaxPayloadV4;
        var size = IcmpArguments.Integer("-s", parseResult.GetValue(sizeOption), PingHost.DefaultPayloadSize, 0, maxSize, v6 || literalV6 ? "size (IPv6)" : "size");
        var timeout = IcmpArguments.Seconds(
            "-W", parseResult.GetValue(timeoutOption), PingHost.DefaultReplyTimeout, PingHost.MinReplyTimeout, PingHost.MaxReplyTimeout, "timeout");
        return id => new PingHost(id, host, count, interval, size, family, timeout);
    }

    /// <summary>Streams each reply; one node's summary as iputils prints it, several nodes' side by side.</summary>
    private sealed class Output(bool counted) : ProbeOutput<PingSummary>
    {
        public override void OnEvent(AppIo io, string? node, IProbeEvent probeEvent)
        {
            var prefix = node is null ? "" : $"{node}: ";
            switch (probeEvent)
            {
                case PingStarted started:
                    io.Out.WriteLine(prefix + PingRenderer.Started(started));
                    if (!counted && node is null)
                    {
                        io.Out.WriteLine("Press Ctrl-C to stop.");
                    }

                    break;
                case PingResponse response:
                    io.Out.WriteLine(prefix + PingRenderer.Response(response));
                    break;
            }
        }

        public override void Render(AppIo io, PingSummary result)
        {
            foreach (var line in PingRenderer.Summary(result))
            {
                io.Out.WriteLine(line);
            }
        }

        public override void RenderNodes(AppIo io, IReadOnlyList<NodeProbeResult<PingSummary>> results)
        {
            io.Out.WriteLine();
            if (results.FirstOrDefault(r => r.Result is not null)?.Result is { } any)
            {
                io.Out.WriteLine($"--- {any.Host} ping statistics ---");
            }

            io.CreateConsole().Write(PingRenderer.Nodes(results.Select(r => (r.Node, r.Result, r.Error))));
        }

        public override bool Succeeded(PingSummary result) => result.Received > 0;
    }
}
