using System.Globalization;
using Akka.Actor;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Rendering;
using CaptureActors.Controller.Coordination;
using CaptureActors.Controller.Nodes;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Commands;

/// <summary>
/// The capture commands on several remote nodes at once: one coordinated start (one capture id, one instant,
/// corrected per node by its clock offset), and stop, status and files across nodes with a node column.
/// </summary>
public static class NodesCapture
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>A lost node must not hold up the others' live status: polls wait this long at most.</summary>
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Stopping finishes the files; a reachable agent answers well within this.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> StartAsync(NodesContext context, CaptureOptions options, bool detached, bool allOrNothing)
    {
        var timeout = context.Runtime.AskTimeout;
        var unreachable = context.Nodes.Nodes.Where(n => n.Agent is null).ToList();
        var clocks = await Task.WhenAll(context.Nodes.Nodes.Where(n => n.Agent is not null).Select(async n =>
        {
            var reading = await ClockProbe.MeasureAsync(n.Agent!).ConfigureAwait(false);
            return new CoordinatedNode(n.Name, n.Agent!, reading.Offset, reading.RoundTrip);
        })).ConfigureAwait(false);

        if (allOrNothing && unreachable.Count > 0)
        {
            throw new CapturectlFailure($"not starting anywhere (--all-or-nothing): {string.Join("; ", unreachable.Select(n => n.Error))}", ErrorCode.Timeout);
        }

        // In the shell, its session owns the capture and the command returns once it runs; otherwise a session of this command's own.
        var shell = detached ? null : context.Nodes.Session;
        var session = detached ? null : shell?.Actor ?? context.Nodes.System.ActorOf(ConsoleSessionActor.Props(), $"console-session-{Guid.NewGuid():N}");
        try
        {
            var report = await CoordinatedStart.StartAsync(
                clocks, options, CaptureOwner.OfThisProcess("capturectl"), detached, session, allOrNothing, timeout).ConfigureAwait(false);
            var results = report.Nodes.Concat(unreachable.Select(n => new NodeStartResult(n.Name, NodeStartOutcome.Unreachable, n.Error, null, null))).ToList();
            WriteStartReport(context, report, results);
            var anyStarted = results.Any(r => r.Outcome == NodeStartOutcome.Started) && report.RolledBack.Count == 0;
            var exit = results.All(r => r.Outcome == NodeStartOutcome.Started) ? ExitCodes.Done : ExitCodes.Failed;
            if (detached || !anyStarted)
            {
                return exit;
            }

            if (shell is not null)
            {
                shell.Started(report.CaptureId);
                if (!context.Json)
                {
                    context.Io.Out.WriteLine($"capture {report.CaptureId} runs; it stops with STOP, at a limit, or when you leave the shell");
                }

                return exit;
            }

            var started = clocks.Where(c => results.Any(r => r.Node == c.Name && r.Outcome == NodeStartOutcome.Started)).ToList();
            var final = await WatchAsync(context, report.CaptureId, started).ConfigureAwait(false);
            WriteStatuses(context, final);
            return final.Any(f => f.Reply is CaptureStatus { State: CaptureState.Failed } || f.Error is not null) ? ExitCodes.Failed : exit;
        }
        finally
        {
            if (session is not null && shell is null)
            {
                context.Nodes.System.Stop(session);
            }
        }
    }

    /// <summary>Attached: polls every node until each capture has ended; Ctrl-C stops the capture on every node.</summary>
    private static async Task<IReadOnlyList<NodeReply<object>>> WatchAsync(NodesContext context, string captureId, IReadOnlyList<CoordinatedNode> nodes)
    {
        var agents = nodes.Select(n => (n.Name, n.Agent)).ToList();
        if (!context.Json)
        {
            context.Io.Out.WriteLine($"capture {captureId} runs on {string.Join(", ", agents.Select(a => a.Name))}; Ctrl-C stops it everywhere");
        }

        while (true)
        {
            try
            {
                await Task.Delay(PollInterval, context.CancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // A lost node cannot hold up the others' stop for long: it is reported with what it last said.
                await NodeFanOut.AskAllAsync(agents, _ => new StopCapture(captureId), StopTimeout).ConfigureAwait(false);
                return await NodeFanOut.AskAllAsync(agents, _ => GetCaptureStatus.Instance, PollTimeout).ConfigureAwait(false);
            }

            var statuses = await NodeFanOut.AskAllAsync(agents, _ => GetCaptureStatus.Instance, PollTimeout).ConfigureAwait(false);
            if (!context.Json)
            {
                foreach (var reply in statuses)
                {
                    context.Io.Out.WriteLine(reply.Reply is CaptureStatus s ? $"{reply.Node}: {StatusRenderer.ProgressLine(s)}" : NodeText.Prefixed(reply.Node, reply.Error));
                }

                context.Io.Out.Flush();
            }

            if (statuses.All(r => r.Reply is not CaptureStatus s || s.CaptureId != captureId || s.State is CaptureState.Stopped or CaptureState.Failed or CaptureState.Idle))
            {
                return statuses;
            }
        }
    }

    public static async Task<int> StatusAsync(NodesContext context)
    {
        var replies = await context.Nodes.AskAllAsync(GetCaptureStatus.Instance, context.Runtime.AskTimeout).ConfigureAwait(false);
        WriteStatuses(context, replies);
        return replies.All(r => r.Reply is CaptureStatus) ? ExitCodes.Done : ExitCodes.Failed;
    }

    public static async Task<int> StopAsync(NodesContext context)
    {
        var replies = await context.Nodes.AskAllAsync(new StopCapture(), context.Runtime.AskTimeout).ConfigureAwait(false);
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new { nodes = replies.Select(r => new { node = r.Node, result = r.Reply, error = r.Error ?? ErrorOf(r.Reply) }) });
        }
        else
        {
            var table = new Table().AddColumns("Node", "Result");
            foreach (var reply in replies)
            {
                var text = reply.Reply switch
                {
                    CaptureStopped { WasRunning: true } s => $"stopped capture {s.Status.CaptureId} ({s.Status.StopReason?.ToText()})",
                    CaptureStopped => "no capture was running",
                    _ => reply.Error ?? ErrorOf(reply.Reply) ?? "-",
                };
                table.AddRow(Markup.Escape(reply.Node), Markup.Escape(text));
            }

            context.Io.CreateConsole().Write(table);
        }

        return replies.All(r => r.Reply is CaptureStopped) ? ExitCodes.Done : ExitCodes.Failed;
    }

    public static async Task<int> FilesAsync(NodesContext context)
    {
        var replies = await context.Nodes.AskAllAsync(ListFiles.Instance, context.Runtime.AskTimeout).ConfigureAwait(false);
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new
            {
                files = replies.SelectMany(r => (r.Reply as FileListing)?.Files.Select(f => new { node = r.Node, file = f }) ?? []),
                errors = replies.Where(r => r.Reply is not FileListing).Select(r => new { node = r.Node, error = r.Error ?? ErrorOf(r.Reply) }),
            });
        }
        else
        {
            context.Io.CreateConsole().Write(FilesRenderer.Render(
                replies.Select(r => (r.Node, r.Reply as FileListing, r.Error ?? ErrorOf(r.Reply))),
                nodeColumn: true));
            foreach (var unlisted in replies.SelectMany(r => (r.Reply as FileListing)?.Unlisted ?? []))
            {
                context.Io.WriteError($"{unlisted.Message} (not listed)");
            }
        }

        return replies.All(r => r.Reply is FileListing) ? ExitCodes.Done : ExitCodes.Failed;
    }

    /// <summary>
    /// <c>delete FILE...</c> or <c>clear</c> on several nodes. A name that one node does not have is no error when
    /// another node deleted it; every other refusal is reported with its node.
    /// </summary>
    public static async Task<int> DeleteAsync(NodesContext context, ICaptureProtocol request, bool summaryOnly)
    {
        var replies = await context.Nodes.AskAllAsync(request, context.Runtime.AskTimeout).ConfigureAwait(false);
        var results = replies.Select(r => (r.Node, Result: r.Reply as FilesDeleted)).ToList();
        var deletedAnywhere = results.SelectMany(r => r.Result?.Deleted ?? []).ToHashSet(StringComparer.Ordinal);
        var errors = replies.Where(r => r.Reply is not FilesDeleted).Select(r => NodeText.Prefixed(r.Node, r.Error ?? ErrorOf(r.Reply))).ToList();
        errors.AddRange(NodeFileRefusals.Messages(results.Select(r => (r.Node, r.Result?.Refused)), deletedAnywhere));

        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new { nodes = results.Select(r => new { node = r.Node, deleted = r.Result?.Deleted ?? [] }), errors });
        }
        else
        {
            foreach (var (node, result) in results.Where(r => r.Result is not null))
            {
                if (summaryOnly)
                {
                    context.Io.Out.WriteLine($"{node}: removed {result!.Deleted.Count} file{(result.Deleted.Count == 1 ? "" : "s")}");
                }
                else
                {
                    foreach (var name in result!.Deleted)
                    {
                        context.Io.Out.WriteLine($"{node}: deleted {name}");
                    }
                }
            }

            foreach (var error in errors)
            {
                context.Io.WriteError(error);
            }
        }

        return errors.Count > 0 ? ExitCodes.Failed : ExitCodes.Done;
    }

    private static void WriteStartReport(NodesContext context, CoordinatedStartReport report, IReadOnlyList<NodeStartResult> results)
    {
        var skew = report.Skew is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s.TotalMilliseconds:0.000} ms") : "-";
        var uncertainty = string.Create(CultureInfo.InvariantCulture, $"{report.SkewUncertainty.TotalMilliseconds:0.000} ms");
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new
            {
                captureId = report.CaptureId,
                scheduledAt = report.ScheduledAt,
                skewMilliseconds = report.Skew?.TotalMilliseconds,
                skewUncertaintyMilliseconds = report.SkewUncertainty.TotalMilliseconds,
                rolledBack = report.RolledBack,
                nodes = results.Select(r => new { node = r.Node, outcome = r.Outcome.ToString().ToLowerInvariant(), message = r.Message, startedAt = r.StartedAt }),
            });
            return;
        }

        var table = new Table().AddColumns("Node", "Result", "Started (controller clock)", "Detail");
        foreach (var result in results)
        {
            table.AddRow(
                Markup.Escape(result.Node),
                result.Outcome.ToString().ToLowerInvariant() + (report.RolledBack.Contains(result.Node) ? ", stopped again" : ""),
                result.StartedAt is { } at ? at.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : "-",
                Markup.Escape(result.Message ?? ""));
        }

        var console = context.Io.CreateConsole();
        console.WriteLine($"capture {report.CaptureId} scheduled at {report.ScheduledAt:HH:mm:ss.fff}Z; start skew {skew} (± {uncertainty})");
        console.Write(table);
    }

    private static void WriteStatuses(NodesContext context, IReadOnlyList<NodeReply<object>> replies)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new { nodes = replies.Select(r => new { node = r.Node, status = r.Reply as CaptureStatus, error = r.Error ?? ErrorOf(r.Reply) }) });
            return;
        }

        var table = new Table().AddColumns("Node", "State", "Capture", "Interface", "Elapsed", "File", "Size", "Packets", "Drops");
        foreach (var index in new[] { 6, 7, 8 })
        {
            table.Columns[index].RightAligned();
        }

        foreach (var reply in replies)
        {
            if (reply.Reply is not CaptureStatus status)
            {
                table.AddRow(Markup.Escape(reply.Node), "unreachable", "", "", "", Markup.Escape(reply.Error ?? ErrorOf(reply.Reply) ?? "-"), "", "", "");
                continue;
            }

            var state = TextFormat.State(status.State) + (status.StopReason is { } reason ? $" ({reason.ToText()})" : "");
            if (status.Interfaces.Count == 0)
            {
                table.AddRow(Markup.Escape(reply.Node), Markup.Escape(state), Markup.Escape(status.CaptureId ?? "-"), "", "", "", "", "", "");
            }

            foreach (var row in status.Interfaces)
            {
                table.AddRow(
                    Markup.Escape(reply.Node),
                    Markup.Escape(state),
                    Markup.Escape(status.CaptureId ?? "-"),
                    Markup.Escape(row.Interface),
                    TextFormat.Elapsed(status.Elapsed),
                    Markup.Escape(row.CurrentFile ?? "-"),
                    ByteSize.Format(row.FileSizeBytes),
                    TextFormat.Number(row.PacketsWritten),
                    TextFormat.Number(row.KernelDropped + row.InterfaceDropped));
            }
        }

        var console = context.Io.CreateConsole();
        console.Write(table);
        foreach (var reply in replies)
        {
            if (reply.Reply is CaptureStatus { Disk: { } disk })
            {
                console.WriteLine($"{reply.Node}: {StatusRenderer.Disk(disk)}");
            }
        }
    }

    private static string? ErrorOf(object? reply) => reply switch
    {
        CommandFailed failed => failed.Message,
        CaptureRejected rejected => rejected.Message,
        _ => null,
    };
}
