using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using CaptureActors.Console.Agent;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Download;

/// <summary>
/// Copies one capture file from a node to <c>OUT/NAME.part</c>, resuming from a .part left by an earlier attempt, checks
/// the SHA-256 of a finished file against the node's and renames the result to its final name.
/// <para>
/// A finished file travels over the node's download channel when <paramref name="channel"/> is given and the node grants
/// a ticket (<see cref="OpenDownload"/>); otherwise, and for whatever the channel did not deliver (refused ticket, no
/// connection, a connection lost midway), in <see cref="ReadFileChunk"/>s over Akka.Remote from where the bytes stand.
/// A file still being written always travels in chunks.
/// </para>
/// </summary>
/// <param name="channel">The node's download channel (its host); null: chunks only (the embedded agent, or tests).</param>
public sealed class FileDownloader(AgentClient client, DownloadChannelClient? channel = null)
{
    public const string PartSuffix = ".part";
    public const string CorruptSuffix = ".corrupt";

    /// <summary><see cref="DownloadResult.Transport"/>: the download channel carried the bytes.</summary>
    public const string ChannelTransport = "channel";

    /// <summary><see cref="DownloadResult.Transport"/>: chunks over Akka.Remote carried the bytes (or the rest of them).</summary>
    public const string ChunksTransport = "chunks";

    /// <summary>Longest wait for a ticket: an agent without a channel answers at once; one that does not know the message never does.</summary>
    public static readonly TimeSpan TicketTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Chunk requests in flight for a finished file: 8 × 64 KiB.</summary>
    public const int Window = 8;

    /// <summary>Lets requests still in flight finish (their results are not needed) so none faults unobserved.</summary>
    private static async Task DrainAsync(Queue<(long Offset, Task<FileChunk> Chunk)> pending)
    {
        while (pending.TryDequeue(out var request))
        {
            try
            {
                await request.Chunk.ConfigureAwait(false);
            }
            catch (CapturectlFailure)
            {
                // Past the end or no longer wanted.
            }
        }
    }

    public async Task<DownloadResult> DownloadAsync(
        CaptureFileInfo file,
        string outputDirectory,
        bool overwrite,
        Action<long>? progress,
        CancellationToken cancellationToken)
    {
        if (Path.GetFileName(file.Name) != file.Name || file.Name is "." or "..")
        {
            throw new CapturectlFailure($"'{file.Name}' is not a plain file name; refusing to write it", ErrorCode.UnsafeFileName);
        }

        Directory.CreateDirectory(outputDirectory);
        var finalPath = Path.Combine(outputDirectory, file.Name);
        if (File.Exists(finalPath) && !overwrite)
        {
            throw new CapturectlFailure($"{finalPath} already exists; give --force to overwrite it", ErrorCode.IoError);
        }

        var partPath = finalPath + PartSuffix;
        long resumedFrom = 0;
        var transport = ChunksTransport;
        string? fallback = null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var part = new FileStream(partPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            resumedFrom = part.Length;
            if (file.State == CaptureFileState.Finished && resumedFrom > file.SizeBytes)
            {
                // Longer than the file itself: not a prefix of it. Start over.
                part.SetLength(0);
                resumedFrom = 0;
            }

            // The SHA-256 covers the whole file: what an earlier attempt left, read back now, then every byte as it is
            // written (so a 1 GiB download is not read a second time to be checked).
            await HashPrefixAsync(part, resumedFrom, hash, cancellationToken).ConfigureAwait(false);
            var offset = resumedFrom;
            progress?.Invoke(offset);
            if (channel is not null && file.State == CaptureFileState.Finished && offset < file.SizeBytes)
            {
                (offset, fallback) = await TryChannelAsync(channel, file, part, hash, offset, progress, cancellationToken).ConfigureAwait(false);
                if (fallback is null)
                {
                    transport = ChannelTransport;
                }
            }

            // A finished file's size is known: keep a window of chunk requests in flight (written strictly in order), so
            // throughput is not one round trip per 64 KiB. A file still being written is read one chunk at a time.
            var window = file.State == CaptureFileState.Finished ? Window : 1;
            var pending = new Queue<(long Offset, Task<FileChunk> Chunk)>();
            var next = offset;
            while (transport == ChunksTransport)
            {
                while (pending.Count < window && (pending.Count == 0 || next < file.SizeBytes))
                {
                    pending.Enqueue((next, client.RequestAsync<FileChunk>(new ReadFileChunk(file.Name, next, ReadFileChunk.MaxChunkBytes), cancellationToken)));
                    next += ReadFileChunk.MaxChunkBytes;
                }

                var (asked, request) = pending.Dequeue();
                var chunk = await request.ConfigureAwait(false);
                if (chunk.Offset != offset || asked != offset)
                {
                    throw new CapturectlFailure(
                        $"{file.Name}: the node sent bytes from offset {chunk.Offset} when {offset} was asked; the partial download is kept as {partPath}",
                        ErrorCode.Internal);
                }

                await part.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
                hash.AppendData(chunk.Data);
                offset += chunk.Data.Length;
                progress?.Invoke(offset);
                if (chunk.EndOfFile || chunk.Data.Length == 0)
                {
                    break;
                }

                if (chunk.Data.Length != ReadFileChunk.MaxChunkBytes)
                {
                    // A short chunk before the end (the file grew or shrank): what is in flight no longer lines up.
                    await DrainAsync(pending).ConfigureAwait(false);
                    next = offset;
                }
            }

            await DrainAsync(pending).ConfigureAwait(false);
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        var verified = false;
        if (file is { State: CaptureFileState.Finished, Sha256: { } expected })
        {
            if (!string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
            {
                var corruptPath = finalPath + CorruptSuffix;
                File.Move(partPath, corruptPath, overwrite: true);
                throw new CapturectlFailure(
                    $"{file.Name}: SHA-256 mismatch: the node's file has {expected}, the downloaded copy {sha256}; " +
                    $"the downloaded bytes are kept as {corruptPath}; run download again to fetch the file anew",
                    ErrorCode.IoError);
            }

            verified = true;
        }

        File.Move(partPath, finalPath, overwrite);
        return new DownloadResult(file.Name, finalPath, new FileInfo(finalPath).Length, resumedFrom, sha256, verified, transport, fallback);
    }

    /// <summary>
    /// Fetches the rest of <paramref name="file"/> over the download channel. Returns the offset reached and null, or,
    /// when the channel could not deliver everything, the offset reached (bytes already written stay: they are the
    /// file's, in order) and why, for the chunks to go on from there.
    /// </summary>
    private async Task<(long Offset, string? Fallback)> TryChannelAsync(
        DownloadChannelClient channel, CaptureFileInfo file, FileStream part, IncrementalHash hash, long offset, Action<long>? progress, CancellationToken cancellationToken)
    {
        object reply;
        try
        {
            reply = await client.AskAsync(new OpenDownload(file.Name, offset), cancellationToken, TicketTimeout).ConfigureAwait(false);
        }
        catch (CapturectlFailure failure)
        {
            return (offset, $"no download ticket: {failure.Message}");
        }

        if (reply is CommandFailed { Code: ErrorCode.Forbidden } forbidden)
        {
            // Not allowed to read the file: chunks would be refused alike (and audited twice).
            throw new CapturectlFailure(forbidden.Message, forbidden.Code);
        }

        if (reply is not DownloadTicket ticket)
        {
            return (offset, reply is CommandFailed failed ? $"download ticket refused: {failed.Message}" : $"unexpected {reply.GetType().Name} instead of a download ticket");
        }

        if (ticket.Name != file.Name || ticket.Offset != offset || ticket.FileSize < offset)
        {
            return (offset, $"the download ticket names {ticket.Name} from {ticket.Offset}, not {file.Name} from {offset}");
        }

        var written = new StrongBox<long>();
        async ValueTask WriteAsync(ReadOnlyMemory<byte> block, CancellationToken token)
        {
            await part.WriteAsync(block, token).ConfigureAwait(false);
            hash.AppendData(block.Span);
            progress?.Invoke(offset + written.Value + block.Length);
        }

        try
        {
            await channel.ReceiveAsync(ticket, WriteAsync, written, cancellationToken).ConfigureAwait(false);
            return (offset + written.Value, null);
        }
        catch (Exception e) when (e is IOException or SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = e is OperationCanceledException ? "no data within " + DurationText.Format(DownloadChannelClient.IdleTimeout) : e.Message;
            return (offset + written.Value, $"download channel {channel.Host}:{ticket.Port} failed after {written.Value} bytes: {reason}");
        }
    }

    /// <summary>Feeds the first <paramref name="length"/> bytes of <paramref name="part"/> to <paramref name="hash"/>; leaves the position at their end.</summary>
    private static async Task HashPrefixAsync(FileStream part, long length, IncrementalHash hash, CancellationToken cancellationToken)
    {
        part.Seek(0, SeekOrigin.Begin);
        var buffer = new byte[1 << 20];
        var remaining = length;
        while (remaining > 0)
        {
            var read = await part.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"{part.Name} shrank while being read");
            }

            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }

        part.Seek(length, SeekOrigin.Begin);
    }
}
