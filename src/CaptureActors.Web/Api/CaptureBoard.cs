using CaptureActors.Controller.Coordination;
using CaptureActors.Pcap;
using CaptureActors.Protocol;
using CaptureActors.Web.Nodes;

namespace CaptureActors.Web.Api;

/// <summary>
/// What the page does, over every node at once: overview (reachability, clock offset, capture state and counters),
/// coordinated start of one detached capture, stop, stored settings, files (list, download, merge, delete). A node that
/// does not answer is reported with its error and never holds up the others beyond a short bound.
/// </summary>
public sealed class CaptureBoard(NodeConnections connections, IWebFileTransfer transfer, CaptureOwner owner)
{
    /// <summary>A lost node must not hold up the page's live view: each poll waits this long at most.</summary>
    public static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Starting, stopping and deleting finish files: a reachable agent answers well within this.</summary>
    public static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(15);

    public NodeConnections Connections => connections;

    public IWebFileTransfer Transfer => transfer;

    public CaptureOwner Owner => owner;

    public async Task<OverviewView> OverviewAsync()
    {
        var nodes = await Task.WhenAll(connections.Nodes.Select(DescribeAsync)).ConfigureAwait(false);
        return new OverviewView(DateTimeOffset.UtcNow, nodes);
    }

    private async Task<NodeView> DescribeAsync(WebNode node)
    {
        try
        {
            var clock = await connections.ClockAsync(node).ConfigureAwait(false);
            var status = await connections.AskAsync<CaptureStatus>(node, GetCaptureStatus.Instance, PollTimeout).ConfigureAwait(false);
            return new NodeView(
                node.Name, node.Endpoint, true, null, clock.Identity.Version, clock.Offset.TotalMilliseconds, clock.RoundTrip.TotalMilliseconds, Views.Capture(status));
        }
        catch (WebFailure failure)
        {
            return new NodeView(node.Name, node.Endpoint, false, failure.Message, null, null, null, null);
        }
        catch (InvalidCastException e)
        {
            // Something other than an agent answered the clock probe.
            connections.Forget(node);
            return new NodeView(node.Name, node.Endpoint, false, $"node '{node.Name}' gave an unexpected answer: {e.Message}", null, null, null, null);
        }
    }

    public async Task<IReadOnlyList<InterfaceChoice>> InterfacesAsync(string nodeName)
    {
        var listing = await connections.AskAsync<InterfaceListing>(connections.Node(nodeName), ListInterfaces.Instance, PollTimeout).ConfigureAwait(false);
        return [.. listing.Interfaces.Where(i => i.Capturable && (i.IsUp || i.Name == "any")).Select(i => new InterfaceChoice(i.Name, i.IsUp, i.Addresses, i.Capturable))];
    }

    public async Task<SettingsView> SetupAsync(string nodeName)
    {
        var report = await connections.AskAsync<SetupReport>(connections.Node(nodeName), GetSetup.Instance, PollTimeout).ConfigureAwait(false);
        return Views.Settings(report.Node, report.Settings);
    }

    /// <summary>The form read once per node (each node with its own interfaces); every problem lands in <paramref name="problems"/> by field.</summary>
    private static Dictionary<string, CaptureOptions> ReadForm(
        IEnumerable<WebNode> nodes,
        SettingsForm form,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? interfaces,
        out Dictionary<string, List<string>> problems)
    {
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var options = nodes.ToDictionary(
            n => n.Name,
            n => SettingsFormReader.Read(form, interfaces?.GetValueOrDefault(n.Name), found),
            StringComparer.Ordinal);
        problems = found;
        return options;
    }

    /// <summary>One capture (one id) on the chosen nodes at a common instant, detached: it runs on when the browser closes.</summary>
    public async Task<ActionResult> StartAsync(StartRequest request)
    {
        var nodes = Choose(request.Nodes);
        var options = ReadForm(nodes, request.Settings, request.Interfaces, out var problems);
        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        var outcomes = new List<NodeOutcome>();
        var reachable = new List<CoordinatedNode>();
        foreach (var (node, clock) in await Task.WhenAll(nodes.Select(async n => (n, await TryClockAsync(n).ConfigureAwait(false)))).ConfigureAwait(false))
        {
            if (clock.Error is not null)
            {
                outcomes.Add(new NodeOutcome(node.Name, false, clock.Error, null));
            }
            else
            {
                reachable.Add(new CoordinatedNode(node.Name, clock.Agent!, clock.Reading!.Offset, clock.Reading.RoundTrip));
            }
        }

        var report = await CoordinatedStart.StartAsync(
            reachable, n => options[n.Name], owner, detached: true, ownerSession: null, allOrNothing: false, ActionTimeout).ConfigureAwait(false);
        foreach (var result in report.Nodes)
        {
            var field = result.Outcome == NodeStartOutcome.Started ? null : SettingsFormReader.FieldOf(result.Code, result.Message ?? "");
            outcomes.Add(new NodeOutcome(result.Node, result.Outcome == NodeStartOutcome.Started, result.Message, field, report.CaptureId));
            if (field is not null)
            {
                SettingsFormReader.Add(problems, field, NodeText.Prefixed(result.Node, result.Message));
            }
        }

        return new ActionResult(outcomes.All(o => o.Ok), report.CaptureId, Ordered(outcomes), Freeze(problems));
    }

    public async Task<ActionResult> StopAsync(NodesRequest request)
    {
        var outcomes = await Task.WhenAll(Choose(request.Nodes).Select(async node =>
        {
            try
            {
                var stopped = await connections.AskAsync<CaptureStopped>(node, new StopCapture(), ActionTimeout).ConfigureAwait(false);
                return new NodeOutcome(
                    node.Name,
                    true,
                    stopped.WasRunning ? $"stopped capture {stopped.Status.CaptureId} ({stopped.Status.StopReason?.ToText()})" : "no capture was running",
                    null,
                    stopped.Status.CaptureId);
            }
            catch (WebFailure failure)
            {
                return new NodeOutcome(node.Name, false, failure.Message, null);
            }
        })).ConfigureAwait(false);
        return new ActionResult(outcomes.All(o => o.Ok), null, outcomes, Freeze([]));
    }

    /// <summary>Stores the form as the chosen nodes' settings (what <c>packetcapture setup</c> does).</summary>
    public async Task<ActionResult> UpdateSetupAsync(SetupRequest request)
    {
        var nodes = Choose(request.Nodes);
        var options = ReadForm(nodes, request.Settings, request.Interfaces, out var problems);
        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        var outcomes = await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                var report = await connections.AskAsync<SetupReport>(node, new UpdateSetup(options[node.Name]), ActionTimeout).ConfigureAwait(false);
                return new NodeOutcome(node.Name, true, "settings stored", null);
            }
            catch (WebFailure failure)
            {
                return new NodeOutcome(node.Name, false, failure.Message, SettingsFormReader.FieldOf(failure.Code, failure.Message));
            }
        })).ConfigureAwait(false);
        foreach (var outcome in outcomes.Where(o => o.Field is not null))
        {
            SettingsFormReader.Add(problems, outcome.Field!, outcome.Message!);
        }

        return new ActionResult(outcomes.All(o => o.Ok), null, outcomes, Freeze(problems));
    }

    /// <summary>
    /// The filter as the form would start it (trimmed), checked by each chosen node's libpcap while it is typed; each
    /// refusal goes next to the filter field as a start's would. A node that cannot be asked is named, not counted as a
    /// refusal. Over the length limit or with a control character, no node is asked (the start's own check and words).
    /// </summary>
    public async Task<FilterCheckResult> CheckFilterAsync(FilterCheckRequest request)
    {
        var nodes = Choose(request.Nodes);
        var filter = request.Filter?.Trim() ?? "";
        if (CaptureSettings.FilterProblem(filter) is { } problem)
        {
            // A refused filter is echoed shortened: a 10 MB filter is not sent back.
            return new FilterCheckResult(TextBounds.Bounded(filter), false, [], Freeze(new() { ["filter"] = [problem] }));
        }

        var verdicts = await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                var result = await connections.AskAsync<FilterChecked>(node, new CheckFilter(filter), PollTimeout).ConfigureAwait(false);
                return new FilterVerdict(node.Name, result.Valid, result.Error);
            }
            catch (WebFailure failure)
            {
                return new FilterVerdict(node.Name, null, failure.Message);
            }
        })).ConfigureAwait(false);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var refused in verdicts.Where(v => v.Valid == false))
        {
            SettingsFormReader.Add(problems, "filter", NodeText.Prefixed(refused.Node, refused.Error));
        }

        return new FilterCheckResult(filter, verdicts.All(v => v.Valid == true), verdicts, Freeze(problems));
    }

    public async Task<FilesView> FilesAsync()
    {
        var listings = await Task.WhenAll(connections.Nodes.Select(async node =>
        {
            try
            {
                var listing = await connections.AskAsync<FileListing>(node, ListFiles.Instance, PollTimeout).ConfigureAwait(false);
                return (Files: listing.Files.Select(f => Views.File(node.Name, f)), Error: (string?)null);
            }
            catch (WebFailure failure)
            {
                return (Files: Enumerable.Empty<FileView>(), Error: failure.Message);
            }
        })).ConfigureAwait(false);
        return new FilesView(
            [.. listings.SelectMany(l => l.Files).OrderByDescending(f => f.ModifiedAt).ThenBy(f => f.Node, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)],
            [.. listings.Where(l => l.Error is not null).Select(l => l.Error!)]);
    }

    public async Task<DeleteResult> DeleteAsync(DeleteRequest request)
    {
        var deleted = new List<FileRef>();
        var errors = new List<string>();
        foreach (var group in request.Files.GroupBy(f => f.Node, StringComparer.Ordinal))
        {
            try
            {
                var node = connections.Node(group.Key);
                var result = await connections.AskAsync<FilesDeleted>(node, new DeleteFiles([.. group.Select(f => f.Name).Distinct(StringComparer.Ordinal)]), ActionTimeout).ConfigureAwait(false);
                deleted.AddRange(result.Deleted.Select(name => new FileRef(node.Name, name)));
                errors.AddRange(result.Refused.Select(r => NodeText.Prefixed(node.Name, r.Message)));
            }
            catch (WebFailure failure)
            {
                errors.Add(failure.Message);
            }
        }

        return new DeleteResult(deleted, errors);
    }

    /// <summary>The node's file as listed now (a name it does not have is a 404 naming the node).</summary>
    public async Task<(WebNode Node, Akka.Actor.IActorRef Agent, CaptureFileInfo File)> FindFileAsync(string nodeName, string name)
    {
        var node = connections.Node(nodeName);
        var listing = await connections.AskAsync<FileListing>(node, ListFiles.Instance, PollTimeout).ConfigureAwait(false);
        var file = listing.Files.FirstOrDefault(f => f.Name == name)
            ?? throw (listing.UnlistedReason(name) is { } unlisted
                ? new WebFailure(unlisted.Message, unlisted.Code, 403)
                : new WebFailure($"node '{node.Name}' has no capture file '{name}'", ErrorCode.UnknownFile, 404));
        return (node, await connections.AgentAsync(node).ConfigureAwait(false), file);
    }

    public async Task CopyFileAsync(WebNode node, Akka.Actor.IActorRef agent, CaptureFileInfo file, Stream destination, CancellationToken cancellationToken) =>
        await transfer.CopyAsync(node, agent, file, destination, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Downloads the chosen files (verified) into <paramref name="directory"/> and merges them into one pcapng there: one
    /// interface per node:iface, each node's timestamps corrected by its clock offset. Returns the merged file's path.
    /// </summary>
    public async Task<(string Path, MergeResult Result)> MergeAsync(IReadOnlyList<FileRef> files, string directory, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            throw new WebFailure("no file chosen: tick the files to merge");
        }

        var downloaded = new List<(WebNode Node, CaptureFileInfo File, string Path)>();
        foreach (var group in files.GroupBy(f => f.Node, StringComparer.Ordinal))
        {
            foreach (var name in group.Select(f => f.Name).Distinct(StringComparer.Ordinal))
            {
                var (node, agent, file) = await FindFileAsync(group.Key, name).ConfigureAwait(false);
                if (file.State == CaptureFileState.Writing)
                {
                    throw new WebFailure($"{node.Name}: {file.Name} is still being written: stop the capture first", ErrorCode.FileInUse, 409);
                }

                var path = await transfer.DownloadAsync(node, agent, file, Path.Combine(directory, node.Name), cancellationToken).ConfigureAwait(false);
                downloaded.Add((node, file, path));
            }
        }

        var offsets = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var node in downloaded.Select(d => d.Node).DistinctBy(n => n.Name))
        {
            offsets[node.Name] = (await connections.ClockAsync(node).ConfigureAwait(false)).Offset;
        }

        var sources = downloaded
            .GroupBy(d => (d.Node.Name, d.File.Interface))
            .Select(g => new MergeSource(g.Key.Name, g.Key.Interface, [.. g.Select(d => d.Path).Order(StringComparer.Ordinal)], offsets[g.Key.Name]))
            .ToList();
        var output = Path.Combine(directory, "merged.pcapng");
        try
        {
            return (output, PcapMerger.Merge(sources, output));
        }
        catch (Exception e) when (e is PcapFormatException or IOException or ArgumentException)
        {
            throw new WebFailure($"merging failed: {e.Message}", ErrorCode.IoError, 500);
        }
    }

    private IReadOnlyList<WebNode> Choose(IReadOnlyList<string>? names)
    {
        if (names is not { Count: > 0 })
        {
            throw new WebFailure("no node chosen: tick one or more nodes");
        }

        return [.. names.Distinct(StringComparer.Ordinal).Select(connections.Node)];
    }

    private async Task<(Akka.Actor.IActorRef? Agent, Controller.Nodes.ClockReading? Reading, string? Error)> TryClockAsync(WebNode node)
    {
        try
        {
            var agent = await connections.AgentAsync(node).ConfigureAwait(false);
            return (agent, await connections.ClockAsync(node).ConfigureAwait(false), null);
        }
        catch (WebFailure failure)
        {
            return (null, null, failure.Message);
        }
    }

    private IReadOnlyList<NodeOutcome> Ordered(IEnumerable<NodeOutcome> outcomes) =>
        [.. outcomes.OrderBy(o => connections.Nodes.ToList().FindIndex(n => n.Name == o.Node))];

    private static ActionResult Refused(Dictionary<string, List<string>> problems) => new(false, null, [], Freeze(problems));

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Freeze(Dictionary<string, List<string>> problems) =>
        problems.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value.Distinct(StringComparer.Ordinal)], StringComparer.Ordinal);
}
