using System.CommandLine;
using CaptureActors.Console.Download;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>packetcapture download FILE... [-o DIR] [--force]</c>: copies capture files here, resuming partial downloads and
/// verifying SHA-256. Each file that fails is reported; exit 1 if any did.
/// </summary>
public static class PacketCaptureDownloadCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Capture file names, as 'packetcapture files' lists them (several nodes: default all files of the newest capture)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var merge = new Option<string>("--merge")
        {
            Description = "Several nodes: also merge the downloaded files into one pcapng, time-ordered, clock offsets corrected",
            HelpName = "OUT.pcapng",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Directory to write the files to (default: the current directory)",
            HelpName = "DIR",
            DefaultValueFactory = _ => Directory.GetCurrentDirectory(),
        };
        var force = new Option<bool>("--force") { Description = "Overwrite files that already exist" };

        var command = new Command("download", "Copy capture files from the node, resuming partial downloads and verifying SHA-256");
        command.Arguments.Add(files);
        command.Options.Add(output);
        command.Options.Add(force);
        command.Options.Add(merge);
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            result => new Request(
                (result.GetValue(files) ?? []).Distinct(StringComparer.Ordinal).ToList(),
                Path.GetFullPath(result.GetValue(output) ?? Directory.GetCurrentDirectory()),
                result.GetValue(force),
                result.GetValue(merge) is { } path ? Path.GetFullPath(path) : null),
            (context, request) => request.Names.Count == 0
                ? throw new UsageException("name one or more files to download (see 'capturectl packetcapture files')")
                : request.MergeOutput is not null
                    ? throw new UsageException("--merge combines the files of several nodes: select them with --on or --all")
                    : RunAsync(context, request),
            cancellationToken,
            (nodes, request) => NodesDownload.RunAsync(nodes, request.Names, request.OutputDirectory, request.Force, request.MergeOutput)));
        return command;
    }

    private sealed record Request(IReadOnlyList<string> Names, string OutputDirectory, bool Force, string? MergeOutput);

    private sealed record DownloadError(string Name, string Code, string Message);

    private static async Task<int> RunAsync(CommandContext context, Request request)
    {
        var listing = await context.Client.ListFilesAsync(context.CancellationToken).ConfigureAwait(false);
        var byName = listing.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var downloader = new FileDownloader(context.Client, context.Connection.DownloadHost is { } host ? DownloadChannelClient.For(context.Connection.System, host) : null);
        var results = new List<DownloadResult>();
        var errors = new List<DownloadError>();

        async Task DownloadOne(string name, Action<long>? progress)
        {
            if (!byName.TryGetValue(name, out var file))
            {
                errors.Add(listing.UnlistedReason(name) is { } unlisted
                    ? new DownloadError(name, JsonOutput.CodeText(unlisted.Code), unlisted.Message)
                    : new DownloadError(name, JsonOutput.CodeText(ErrorCode.UnknownFile), $"{name}: node {listing.Node} has no capture file of that name (see 'capturectl packetcapture files')"));
                return;
            }

            try
            {
                var result = await downloader.DownloadAsync(file, request.OutputDirectory, request.Force, progress, context.CancellationToken).ConfigureAwait(false);
                results.Add(result);
                if (!context.Json && !context.Io.IsTerminal)
                {
                    context.Io.Out.WriteLine(Describe(result, file));
                }
            }
            catch (CapturectlFailure failure)
            {
                errors.Add(new DownloadError(name, failure.Code is { } code ? JsonOutput.CodeText(code) : "failed", failure.Message));
            }
        }

        if (!context.Json && context.Io.IsTerminal)
        {
            var console = context.Io.CreateConsole();
            await console.Progress().StartAsync(async progress =>
            {
                foreach (var name in request.Names)
                {
                    var size = byName.TryGetValue(name, out var file) ? Math.Max(file.SizeBytes, 1) : 1;
                    var task = progress.AddTask(Markup.Escape(name), maxValue: size);
                    await DownloadOne(name, bytes => task.Value = bytes).ConfigureAwait(false);
                    task.StopTask();
                }
            }).ConfigureAwait(false);
            foreach (var result in results)
            {
                console.WriteLine(Describe(result, byName[result.Name]));
            }
        }
        else
        {
            foreach (var name in request.Names)
            {
                await DownloadOne(name, null).ConfigureAwait(false);
            }
        }

        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, new { downloads = results, errors });
        }
        else
        {
            if (results.FirstOrDefault(r => r.Fallback is not null) is { } fellBack)
            {
                context.Io.WriteError($"{fellBack.Fallback}; the rest came in Akka.Remote chunks");
            }

            foreach (var error in errors)
            {
                context.Io.WriteError(error.Message);
            }
        }

        return errors.Count > 0 ? ExitCodes.Failed : ExitCodes.Done;
    }

    private static string Describe(DownloadResult result, CaptureFileInfo file)
    {
        var check = result.Verified
            ? "SHA-256 verified"
            : file.State == CaptureFileState.Writing
                ? "still being written: not verified"
                : "no SHA-256 from the node: not verified";
        var resumed = result.ResumedFrom > 0 ? $", resumed at {ByteSize.Format(result.ResumedFrom)}" : "";
        return $"downloaded {result.Name} ({ByteSize.Format(result.Bytes)}{resumed}, {check}) to {result.Path}";
    }
}
