using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Akka.Actor;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Download;
using CaptureActors.Protocol;
using CaptureActors.Web;
using CaptureActors.Web.Nodes;

namespace CaptureActors.Console.Web;

/// <summary>
/// The page's file transfers through capturectl's own code: a finished file of a remote node comes over its download
/// channel (<see cref="DownloadChannelClient"/>), the rest (a file being written, the embedded agent, or what the
/// channel did not deliver) in <see cref="ReadFileChunk"/>s; merges download with <see cref="FileDownloader"/>.
/// </summary>
/// <param name="system">The console's actor system: the channel talks mutual TLS when it does (<see cref="DownloadChannelClient.For"/>).</param>
public sealed class ConsoleWebFileTransfer(ActorSystem system, TimeSpan askTimeout) : IWebFileTransfer
{
    public async Task CopyAsync(WebNode node, IActorRef agent, CaptureFileInfo file, Stream destination, CancellationToken cancellationToken)
    {
        var client = new AgentClient(agent, node.Name, askTimeout);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long offset = 0;
        try
        {
            if (node.Address is { } address && file.State == CaptureFileState.Finished && file.SizeBytes > 0)
            {
                offset = await TryChannelAsync(client, DownloadChannelClient.For(system, address.Host), file, destination, hash, cancellationToken).ConfigureAwait(false);
            }

            // Chunks from where the channel stopped (or from the start), one at a time, until the node says end of file.
            while (offset < file.SizeBytes || file.State == CaptureFileState.Writing)
            {
                var chunk = await client.RequestAsync<FileChunk>(new ReadFileChunk(file.Name, offset, ReadFileChunk.MaxChunkBytes), cancellationToken).ConfigureAwait(false);
                if (chunk.Offset != offset)
                {
                    throw new IOException($"{node.Name}: {file.Name}: the node sent bytes from offset {chunk.Offset} when {offset} was asked");
                }

                await destination.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
                hash.AppendData(chunk.Data);
                offset += chunk.Data.Length;
                if (chunk.EndOfFile || chunk.Data.Length == 0)
                {
                    break;
                }
            }
        }
        catch (CapturectlFailure failure)
        {
            throw NodeFailure(node, failure);
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (file is { State: CaptureFileState.Finished, Sha256: { } expected } && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"{node.Name}: {file.Name}: SHA-256 mismatch: the node's file has {expected}, the bytes sent {sha256}");
        }
    }

    public async Task<string> DownloadAsync(WebNode node, IActorRef agent, CaptureFileInfo file, string directory, CancellationToken cancellationToken)
    {
        var client = new AgentClient(agent, node.Name, askTimeout);
        var downloader = new FileDownloader(client, node.Address is { } address ? DownloadChannelClient.For(system, address.Host) : null);
        try
        {
            var result = await downloader.DownloadAsync(file, directory, overwrite: true, null, cancellationToken).ConfigureAwait(false);
            return result.Path;
        }
        catch (CapturectlFailure failure)
        {
            throw NodeFailure(node, failure);
        }
    }

    /// <summary>The node refused or failed the transfer: 403 when it was a role refusal, else 502 (the node, not the page).</summary>
    private static WebFailure NodeFailure(WebNode node, CapturectlFailure failure) =>
        new(NodeText.Prefixed(node.Name, failure.Message), failure.Code, failure.Code == ErrorCode.Forbidden ? 403 : 502);

    /// <summary>The file over the node's download channel; returns how many bytes it delivered (all, or what came before it failed).</summary>
    private static async Task<long> TryChannelAsync(
        AgentClient client, DownloadChannelClient channel, CaptureFileInfo file, Stream destination, IncrementalHash hash, CancellationToken cancellationToken)
    {
        object reply;
        try
        {
            reply = await client.AskAsync(new OpenDownload(file.Name, 0), cancellationToken, FileDownloader.TicketTimeout).ConfigureAwait(false);
        }
        catch (CapturectlFailure)
        {
            return 0;
        }

        if (reply is not DownloadTicket { Offset: 0 } ticket || ticket.Name != file.Name)
        {
            return 0;
        }

        var written = new StrongBox<long>();
        try
        {
            await channel.ReceiveAsync(
                ticket,
                async (block, token) =>
                {
                    await destination.WriteAsync(block, token).ConfigureAwait(false);
                    hash.AppendData(block.Span);
                },
                written,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // What came is the file's, in order: the chunks go on from there.
        }

        return written.Value;
    }
}
