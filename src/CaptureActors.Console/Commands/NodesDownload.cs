using CaptureActors.Agent.Storage;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Download;
using CaptureActors.Console.Rendering;
using CaptureActors.Controller.Nodes;
using CaptureActors.Pcap;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>packetcapture download --on a,b|--all [FILE...] [-o DIR] [--merge OUT.pcapng]</c>: downloads from every node at
/// once into DIR/NODE/ (resumed, SHA-256 verified), then optionally merges them into one pcapng with one interface
/// per node:iface, each node's timestamps shifted by its measured clock offset. On a terminal (and without --json) one
/// progress bar per node and file shows the downloads as they run.
/// </summary>
public static class NodesDownload
{
    private sealed record NodeFiles(RemoteNode Node, IReadOnlyList<CaptureFileInfo> Files, IReadOnlyList<FileRefusal>? Unlisted = null);

    public static async Task<int> RunAsync(NodesContext context, IReadOnlyList<string> names, string outputDirectory, bool force, string? mergeOutput)
    {
        var errors = new List<string>(context.Nodes.Nodes.Where(n => n.Agent is null).Select(n => n.Error!));
        var listings = new List<NodeFiles>();
        foreach (var reply in await context.Nodes.AskAllAsync(ListFiles.Instance, context.Runtime.AskTimeout).ConfigureAwait(false))
        {
            if (reply.Reply is FileListing listing)
            {
                listings.Add(new NodeFiles(context.Nodes.Nodes.Single(n => n.Name == reply.Node), listing.Files, listing.Unlisted));
            }
            else if (reply.Error is null)
            {
                errors.Add($"node '{reply.Node}' did not list its files: {(reply.Reply as CommandFailed)?.Message}");
            }
        }

        var wanted = Select(listings, names, errors);
        NodeDownloads[] downloads;
        if (!context.Json && context.Io.IsTerminal)
        {
            downloads = await context.Io.CreateConsole().Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(progress =>
                {
                    // Every bar at once, in node and file order, before any byte moves.
                    var bars = wanted
                        .SelectMany(n => n.Files.Where(f => f.State == CaptureFileState.Finished).OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (n.Node.Name, File: f)))
                        .ToDictionary(
                            key => (key.Name, key.File.Name),
                            key => progress.AddTask(Markup.Escape($"{key.Name}: {key.File.Name}"), autoStart: false, maxValue: Math.Max(key.File.SizeBytes, 1)));
                    return Task.WhenAll(wanted.Select(n => DownloadNodeAsync(context, n, outputDirectory, force, file => bars[(n.Node.Name, file.Name)])));
                }).ConfigureAwait(false);
        }
        else
        {
            downloads = await Task.WhenAll(wanted.Select(n => DownloadNodeAsync(context, n, outputDirectory, force, null))).ConfigureAwait(false);
        }

        errors.AddRange(downloads.SelectMany(d => d.Errors));
        var completed = downloads.SelectMany(d => d.Results.Select(r => (d.Node, Result: r))).ToList();

        MergeResult? merged = null;
        if (mergeOutput is not null && completed.Count > 0)
        {
            merged = await MergeAsync(context, completed, mergeOutput, errors).ConfigureAwait(false);
        }

        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new
            {
                downloads = completed.Select(c => new { node = c.Node.Name, c.Result.Name, c.Result.Path, c.Result.Bytes, c.Result.Sha256, c.Result.Verified, c.Result.Transport, c.Result.Fallback }),
                merged = merged is null ? null : new { merged.OutputPath, merged.TotalPackets, perSource = merged.PacketsPerSource, merged.FirstPacketAt, merged.LastPacketAt },
                errors,
            });
        }
        else
        {
            foreach (var (node, result) in completed)
            {
                context.Io.Out.WriteLine($"{node.Name}: {result.Path} ({ByteSize.Format(result.Bytes)}{(result.Verified ? ", SHA-256 verified" : "")})");
            }

            if (merged is not null)
            {
                context.Io.Out.WriteLine($"merged {TextFormat.Number(merged.TotalPackets)} packets from {completed.Count} file(s) of {completed.Select(c => c.Node.Name).Distinct().Count()} node(s) into {merged.OutputPath}");
            }

            foreach (var (node, fallback) in completed.Where(c => c.Result.Fallback is not null).Select(c => (c.Node.Name, c.Result.Fallback)).DistinctBy(c => c.Name))
            {
                context.Io.WriteError($"{node}: {fallback}; the rest came in Akka.Remote chunks");
            }

            foreach (var error in errors)
            {
                context.Io.WriteError(error);
            }
        }

        return errors.Count > 0 || completed.Count == 0 ? ExitCodes.Failed : ExitCodes.Done;
    }

    /// <summary>The named files wherever they are, or by default every file of the newest capture on these nodes.</summary>
    private static IReadOnlyList<NodeFiles> Select(IReadOnlyList<NodeFiles> listings, IReadOnlyList<string> names, List<string> errors)
    {
        if (names.Count > 0)
        {
            foreach (var missing in names.Where(n => listings.All(l => l.Files.All(f => f.Name != n))))
            {
                var unlisted = listings.SelectMany(l => l.Unlisted ?? []).Where(r => r.Name == missing).Select(r => r.Message).ToList();
                errors.AddRange(unlisted.Count > 0 ? unlisted : [$"{missing}: no selected node has a capture file of that name"]);
            }

            return [.. listings.Select(l => l with { Files = [.. l.Files.Where(f => names.Contains(f.Name))] })];
        }

        var newest = listings.SelectMany(l => l.Files).Where(f => f.CaptureId is not null).MaxBy(f => f.ModifiedAt)?.CaptureId;
        if (newest is null)
        {
            errors.Add("the selected nodes have no capture files");
            return [];
        }

        return [.. listings.Select(l => l with { Files = [.. l.Files.Where(f => f.CaptureId == newest)] })];
    }

    private sealed record NodeDownloads(RemoteNode Node, IReadOnlyList<DownloadResult> Results, IReadOnlyList<string> Errors);

    /// <param name="bar">The progress bar of a file, when bars are shown.</param>
    private static async Task<NodeDownloads> DownloadNodeAsync(
        NodesContext context, NodeFiles node, string outputDirectory, bool force, Func<CaptureFileInfo, ProgressTask>? bar)
    {
        var client = new AgentClient(node.Node.Agent!, node.Node.Name, context.Runtime.AskTimeout);
        var downloader = new FileDownloader(client, DownloadChannelClient.For(context.Nodes.System, node.Node.Address.Host));
        var results = new List<DownloadResult>();
        var errors = new List<string>();
        foreach (var file in node.Files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (file.State == CaptureFileState.Writing)
            {
                errors.Add($"{node.Node.Name}: {file.Name} is still being written: stop the capture first");
                continue;
            }

            var task = bar?.Invoke(file);
            task?.StartTask();
            try
            {
                results.Add(await downloader.DownloadAsync(
                    file, Path.Combine(outputDirectory, node.Node.Name), force, task is null ? null : bytes => task.Value = bytes, context.CancellationToken).ConfigureAwait(false));
            }
            catch (CapturectlFailure failure)
            {
                errors.Add(NodeText.Prefixed(node.Node.Name, failure.Message));
            }
            finally
            {
                task?.StopTask();
            }
        }

        return new NodeDownloads(node.Node, results, errors);
    }

    private static async Task<MergeResult?> MergeAsync(
        NodesContext context, IReadOnlyList<(RemoteNode Node, DownloadResult Result)> files, string output, List<string> errors)
    {
        var offsets = new Dictionary<string, TimeSpan>();
        foreach (var node in files.Select(f => f.Node).DistinctBy(n => n.Name))
        {
            offsets[node.Name] = (await ClockProbe.MeasureAsync(node.Agent!).ConfigureAwait(false)).Offset;
        }

        var sources = files
            .GroupBy(f => (f.Node.Name, Interface: CaptureFileNames.InterfaceOf(f.Result.Name) ?? "unknown"))
            .Select(g => new MergeSource(g.Key.Name, g.Key.Interface, [.. g.Select(f => f.Result.Path).Order(StringComparer.Ordinal)], offsets[g.Key.Name]))
            .ToList();
        try
        {
            return PcapMerger.Merge(sources, output);
        }
        catch (Exception e) when (e is PcapFormatException or IOException or ArgumentException)
        {
            errors.Add($"merge into {output} failed: {e.Message}");
            return null;
        }
    }
}
