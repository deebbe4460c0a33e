using Akka.Actor;
using Akka.Event;
using CaptureActors.Agent.Downloads;
using CaptureActors.Agent.Hosting;
using CaptureActors.Agent.Storage;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// <c>files</c>: owns the node's capture directory. Lists its pcap files with what their sidecars know, streams one out
/// in chunks, hands out tickets for the download channel (<see cref="DownloadListener"/>, when the node runs one),
/// deletes selected ones and clears the finished ones. Refuses any name that is not one of its own files (paths, '..',
/// unknown names, and entries that are not regular files with one link: symbolic links, FIFOs, directories, hard links,
/// see <see cref="RegularFile"/>; a link is neither listed, read, kept nor deleted) and never deletes a file that a
/// capture is writing.
/// </summary>
public sealed class FileStore : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly AgentOptions _options;
    private readonly DownloadListener? _downloads;

    public FileStore(AgentOptions options, DownloadListener? downloads = null)
    {
        _options = options;
        _downloads = downloads;
        Receive<ListFiles>(_ => Sender.Tell(Listing()));
        Receive<ReadFileChunk>(HandleReadChunk);
        Receive<OpenDownload>(HandleOpenDownload);
        Receive<DeleteFiles>(m => Sender.Tell(Delete(m.Names)));
        Receive<ClearFiles>(_ => Sender.Tell(Delete([.. List().Where(f => f.State == CaptureFileState.Finished && !f.Kept).Select(f => f.Name)])));
        Receive<KeepFiles>(m => Sender.Tell(Keep(m)));
    }

    /// <param name="downloads">The node's download channel; null: none (the embedded agent), tickets are refused.</param>
    public static Props Props(AgentOptions options, DownloadListener? downloads = null) =>
        Akka.Actor.Props.Create(() => new FileStore(options, downloads));

    private string Directory => _options.CaptureDirectory;

    /// <summary>At most this many entries that are not listed are named in a listing (<see cref="FileListing.Unlisted"/>).</summary>
    public const int MaxUnlisted = 16;

    private FileListing Listing()
    {
        var unlisted = new List<FileRefusal>();
        var files = List(unlisted);
        return new FileListing(_options.NodeName, files, unlisted.Count == 0 ? null : unlisted);
    }

    /// <summary>
    /// The capture files: regular files with one link and one of our names (<see cref="RegularFile"/>). Entries named
    /// like capture files that are not (links, FIFOs, directories, devices, hard-linked files) are never listed; the
    /// first <see cref="MaxUnlisted"/> go to <paramref name="unlisted"/> with the reason, so an operator sees them.
    /// </summary>
    private List<CaptureFileInfo> List(List<FileRefusal>? unlisted = null)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var finished = new Dictionary<string, (CaptureSidecar Capture, SidecarFile File)>(StringComparer.Ordinal);
        foreach (var sidecar in Sidecars())
        {
            foreach (var file in sidecar.Files)
            {
                finished[file.Name] = (sidecar, file);
            }
        }

        var writing = FilesBeingWritten();
        var kept = KeepList.Load(_options.DataDirectory);
        var files = new List<CaptureFileInfo>();
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(Directory, "*" + CaptureFileNames.PcapExtension))
        {
            var name = Path.GetFileName(path);
            if (!CaptureFileNames.IsCaptureFileName(name))
            {
                continue;
            }

            RegularFile.Status entry;
            try
            {
                entry = RegularFile.Inspect(path);
            }
            catch (IOException)
            {
                continue;
            }

            if (entry.Kind == RegularFile.Kind.Missing)
            {
                continue;
            }

            if (entry.Problem is not null)
            {
                if (unlisted is { Count: < MaxUnlisted })
                {
                    unlisted.Add(NotRegularRefusal(name, entry.Problem));
                }

                continue;
            }

            var isWriting = writing(name);
            finished.TryGetValue(name, out var known);
            files.Add(new CaptureFileInfo(
                name,
                known.Capture?.CaptureId,
                CaptureFileNames.InterfaceOf(name)!,
                entry.Size,
                isWriting ? null : known.File?.Packets,
                known.File?.FirstPacketAt,
                known.File?.LastPacketAt,
                entry.ModifiedUtc,
                isWriting ? CaptureFileState.Writing : CaptureFileState.Finished,
                isWriting ? null : known.File?.Sha256,
                kept.Contains(name)));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        unlisted?.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return files;
    }

    private IEnumerable<CaptureSidecar> Sidecars() =>
        System.IO.Directory.EnumerateFiles(Directory, "*" + CaptureFileNames.SidecarExtension)
            .Select(AgentJson.TryRead<CaptureSidecar>)
            .OfType<CaptureSidecar>();

    /// <summary>
    /// Which names a running capture (of this process or another sharing the directory) may be writing: every file of
    /// its interfaces' name prefixes that its sidecar does not list as finished. Nothing runs when the lock is free.
    /// </summary>
    private Func<string, bool> FilesBeingWritten()
    {
        if (!NodeLock.IsHeldElsewhere(_options.DataDirectory) || ActiveCaptureRecord.Read(_options.DataDirectory) is not { } active)
        {
            return _ => false;
        }

        // A capture resumed after an agent restart lists its earlier segments in its sidecar: those are finished.
        var finished = AgentJson.TryRead<CaptureSidecar>(Path.Combine(Directory, active.SidecarName))?.Files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        return name => !finished.Contains(name) && active.FilePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// Null when <paramref name="name"/> names one of this store's files (a regular file with one link,
    /// <see cref="RegularFile"/>); otherwise why not. <paramref name="entry"/> is what the check found.
    /// </summary>
    private FileRefusal? Refusal(string name, out RegularFile.Status entry)
    {
        entry = RegularFile.Status.Missing;
        if (!CaptureFileNames.IsCaptureFileName(name))
        {
            return new FileRefusal(
                name,
                ErrorCode.UnsafeFileName,
                $"{TextBounds.Quote(name, RequestBounds.MaxFileNameBytes)} is not a capture file name: names look like {CaptureFileNames.Example} (letters, digits, '.', '-', '_'; no directories or '..')");
        }

        try
        {
            entry = RegularFile.Inspect(Path.Combine(Directory, name));
        }
        catch (IOException e)
        {
            return new FileRefusal(name, ErrorCode.IoError, $"could not examine '{name}' on node {_options.NodeName}: {e.Message}");
        }

        return entry switch
        {
            { Kind: RegularFile.Kind.Missing } => new FileRefusal(name, ErrorCode.UnknownFile, $"no capture file named '{name}' on node {_options.NodeName} (see: packetcapture files)"),
            { Problem: { } problem } => NotRegularRefusal(name, problem),
            _ => null,
        };
    }

    private FileRefusal? Refusal(string name) => Refusal(name, out _);

    /// <summary>The refusal of an entry that is not a regular file with one link: its name, this node, the reason.</summary>
    private FileRefusal NotRegularRefusal(string name, string problem) =>
        new(name, ErrorCode.UnsafeFileName, $"'{name}' on node {_options.NodeName} {problem}: refused");

    private void HandleReadChunk(ReadFileChunk read)
    {
        if (Refusal(read.Name) is { } refusal)
        {
            Sender.Tell(new CommandFailed(refusal.Code, refusal.Message));
            return;
        }

        if (read.Offset < 0 || read.MaxBytes <= 0)
        {
            Sender.Tell(new CommandFailed(ErrorCode.InvalidSettings, $"chunk offset {read.Offset} and length {read.MaxBytes} must be positive"));
            return;
        }

        try
        {
            using var file = RegularFile.OpenRead(Path.Combine(Directory, read.Name));
            var length = file.Length;
            var count = (int)Math.Clamp(length - read.Offset, 0, Math.Min(read.MaxBytes, ReadFileChunk.MaxChunkBytes));
            var data = new byte[count];
            file.Position = Math.Min(read.Offset, length);
            file.ReadExactly(data);
            Sender.Tell(new FileChunk(read.Name, read.Offset, data, length, read.Offset + count >= length));
        }
        catch (NotRegularFileException e)
        {
            // Swapped for a link or a FIFO since the check above: the opened file itself was refused.
            Sender.Tell(new CommandFailed(ErrorCode.UnsafeFileName, NotRegularRefusal(read.Name, e.Problem).Message));
        }
        catch (FileNotFoundException)
        {
            Sender.Tell(new CommandFailed(ErrorCode.UnknownFile, $"no capture file named '{read.Name}' on node {_options.NodeName} (see: packetcapture files)"));
        }
        catch (IOException e)
        {
            Sender.Tell(new CommandFailed(ErrorCode.IoError, $"could not read '{read.Name}': {e.Message}"));
        }
    }

    /// <summary>
    /// A ticket for the download channel. Only finished files: a file being written has no final size or SHA-256 yet,
    /// and the chunk protocol already follows its growth, so it keeps using chunks.
    /// </summary>
    private void HandleOpenDownload(OpenDownload open)
    {
        if (_downloads is null)
        {
            Sender.Tell(new CommandFailed(ErrorCode.Unavailable, $"node {_options.NodeName} has no download channel: use chunks (ReadFileChunk)"));
            return;
        }

        if (Refusal(open.Name, out var entry) is { } refusal)
        {
            Sender.Tell(new CommandFailed(refusal.Code, refusal.Message));
            return;
        }

        if (FilesBeingWritten()(open.Name))
        {
            Sender.Tell(new CommandFailed(ErrorCode.FileInUse, $"'{open.Name}' is still being written: read it in chunks"));
            return;
        }

        var path = Path.Combine(Directory, open.Name);
        var length = entry.Size;
        if (open.Offset < 0 || open.Offset > length)
        {
            Sender.Tell(new CommandFailed(ErrorCode.InvalidSettings, $"offset {open.Offset} is outside '{open.Name}' ({length} bytes)"));
            return;
        }

        if (_downloads.Issue(path, open.Name, open.Offset, length, entry.Identity) is { } ticket)
        {
            Sender.Tell(ticket);
        }
        else
        {
            _log.Warning("Download ticket for {0} refused: {1} tickets already wait", open.Name, _downloads.Tickets.MaxPending);
            Sender.Tell(new CommandFailed(ErrorCode.Unavailable, $"node {_options.NodeName}: too many downloads waiting to start; try again or use chunks"));
        }
    }

    private FilesDeleted Delete(IReadOnlyList<string> names)
    {
        var deleted = new List<string>();
        var refused = new List<FileRefusal>();
        var writing = FilesBeingWritten();
        var kept = KeepList.Load(_options.DataDirectory);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (Refusal(name) is { } refusal)
            {
                refused.Add(refusal);
            }
            else if (kept.Contains(name))
            {
                refused.Add(new FileRefusal(name, ErrorCode.FileKept, $"'{name}' is marked keep: take the mark off first (packetcapture keep --unkeep {name})"));
            }
            else if (writing(name))
            {
                refused.Add(new FileRefusal(name, ErrorCode.FileInUse, $"'{name}' is being written by the running capture: stop it first (packetcapture stop)"));
            }
            else
            {
                try
                {
                    File.Delete(Path.Combine(Directory, name));
                    deleted.Add(name);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    refused.Add(new FileRefusal(name, ErrorCode.IoError, $"could not delete '{name}': {e.Message}"));
                }
            }
        }

        RemoveSidecarsWithoutFiles();
        _log.Info("Deleted {0} file(s), refused {1}", deleted.Count, refused.Count);
        return new FilesDeleted(deleted, FileRefusals.Bounded(refused));
    }

    /// <summary>Marks or unmarks files keep (<see cref="KeepList"/>); a file being written may be marked too (the ring then keeps it).</summary>
    private FilesKept Keep(KeepFiles request)
    {
        var refused = new List<FileRefusal>();
        var accepted = new List<string>();
        foreach (var name in request.Names.Distinct(StringComparer.Ordinal))
        {
            if (Refusal(name) is { } refusal)
            {
                refused.Add(refusal);
            }
            else
            {
                accepted.Add(name);
            }
        }

        if (accepted.Count > 0)
        {
            try
            {
                KeepList.Update(_options.DataDirectory, Directory, accepted, request.Keep);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                refused.AddRange(accepted.Select(n => new FileRefusal(n, ErrorCode.IoError, $"could not store the keep mark in {_options.DataDirectory}: {e.Message}")));
                accepted.Clear();
            }
        }

        _log.Info("{0} {1} file(s), refused {2}", request.Keep ? "Kept" : "Unkept", accepted.Count, refused.Count);
        return new FilesKept(accepted, FileRefusals.Bounded(refused), request.Keep);
    }

    /// <summary>A finished capture's sidecar goes when the last of its files has been deleted.</summary>
    private void RemoveSidecarsWithoutFiles()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + CaptureFileNames.SidecarExtension))
        {
            if (AgentJson.TryRead<CaptureSidecar>(path) is { IsFinished: true } sidecar
                && !sidecar.Files.Any(f => File.Exists(Path.Combine(Directory, f.Name))))
            {
                File.Delete(path);
            }
        }
    }
}
