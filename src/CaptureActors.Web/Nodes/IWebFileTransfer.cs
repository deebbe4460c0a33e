using Akka.Actor;
using CaptureActors.Protocol;

namespace CaptureActors.Web.Nodes;

/// <summary>
/// Moves a capture file's bytes from a node, the way capturectl does (its download channel, or chunks over Akka):
/// supplied by the host so the page has no second implementation of the transfer.
/// </summary>
public interface IWebFileTransfer
{
    /// <summary>Streams <paramref name="file"/> from the node into <paramref name="destination"/> as it arrives; throws
    /// <see cref="WebFailure"/> (or <see cref="IOException"/>) when it cannot deliver every byte or the SHA-256 differs.</summary>
    Task CopyAsync(WebNode node, IActorRef agent, CaptureFileInfo file, Stream destination, CancellationToken cancellationToken);

    /// <summary>Downloads <paramref name="file"/> into <paramref name="directory"/> (verified) and returns the local path.</summary>
    Task<string> DownloadAsync(WebNode node, IActorRef agent, CaptureFileInfo file, string directory, CancellationToken cancellationToken);
}
