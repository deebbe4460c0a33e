using System.CommandLine;
using System.Globalization;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Rendering;
using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>nodes</c>: every configured node (or those of <c>--on</c>) with reachability, agent version, clock offset
/// (best of N round trips) and what its capture does.
/// </summary>
public static class NodesCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("nodes", "List the configured nodes: reachable, agent version, clock offset, capture state");
        command.SetAction((parseResult, cancellationToken) => RunAsync(runtime, parseResult, cancellationToken));
        return command;
    }

    private sealed record NodeRow(
        string Node,
        string Address,
        bool Reachable,
        string? Version,
        double? ClockOffsetMilliseconds,
        double? RoundTripMilliseconds,
        string? Capture,
        string? Error,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Identity = null);

    private static async Task<int> RunAsync(CommandRuntime runtime, ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = parseResult.GetValue(runtime.Globals.Json);
        AgentTarget target;
        try
        {
            target = runtime.Globals.Target(parseResult, everyNode: true);
        }
        catch (UsageException e)
        {
            runtime.ReportError(json, "usage", e.Message, null);
            return ExitCodes.Usage;
        }

        if (!target.IsRemote)
        {
            runtime.ReportError(json, "usage", "no nodes configured: give --node NAME=HOST:PORT or --nodes FILE", null);
            return ExitCodes.Usage;
        }

        await using var nodes = await runtime.Connector.ConnectNodesAsync(target, cancellationToken).ConfigureAwait(false);
        var rows = await Task.WhenAll(nodes.Nodes.Select(Describe)).ConfigureAwait(false);

        if (json)
        {
            JsonOutput.Write(runtime.Io.Out, new { nodes = rows });
        }
        else
        {
            // With TLS: who the agent took this console for, and with which role (docs/authorization.md).
            var identities = rows.Any(r => r.Identity is not null);
            var table = new Table().AddColumns("Node", "Address", "Reachable", "Version", "Clock offset", "Round trip", "Capture");
            if (identities)
            {
                table.AddColumn("Identity");
            }

            foreach (var row in rows)
            {
                string[] identity = identities ? [Markup.Escape(row.Identity ?? "-")] : [];
                table.AddRow(
                [
                    Markup.Escape(row.Node),
                    Markup.Escape(row.Address),
                    row.Reachable ? "yes" : "no",
                    Markup.Escape(row.Version ?? "-"),
                    row.ClockOffsetMilliseconds is { } offset ? string.Create(CultureInfo.InvariantCulture, $"{offset:+0.000;-0.000} ms") : "-",
                    row.RoundTripMilliseconds is { } rtt ? string.Create(CultureInfo.InvariantCulture, $"{rtt:0.000} ms") : "-",
                    Markup.Escape(row.Capture ?? row.Error ?? "-"),
                    .. identity,
                ]);
            }

            runtime.Io.CreateConsole().Write(table);
        }

        return rows.All(r => r.Reachable) ? ExitCodes.Done : ExitCodes.Failed;
    }

    private static async Task<NodeRow> Describe(RemoteNode node)
    {
        if (node.Agent is null)
        {
            return new NodeRow(node.Name, node.Address.Endpoint, false, null, null, null, null, node.Error);
        }

        try
        {
            var clock = await ClockProbe.MeasureAsync(node.Agent).ConfigureAwait(false);
            var status = await Akka.Actor.Futures.Ask<CaptureStatus>(node.Agent, GetCaptureStatus.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return new NodeRow(
                node.Name,
                node.Address.Endpoint,
                true,
                clock.Identity.Version,
                clock.Offset.TotalMilliseconds,
                clock.RoundTrip.TotalMilliseconds,
                StatusRenderer.Summary(status),
                null,
                node.Session is { } session ? $"{session.Subject} ({session.Role.ToString().ToLowerInvariant()})" : null);
        }
        catch (Exception e) when (e is Akka.Actor.AskTimeoutException or InvalidCastException)
        {
            return new NodeRow(node.Name, node.Address.Endpoint, false, null, null, null, null, $"no answer: {e.Message}");
        }
    }
}
