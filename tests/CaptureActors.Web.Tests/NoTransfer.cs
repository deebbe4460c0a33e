using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.Web.Nodes;

namespace CaptureActors.Web.Tests;

/// <summary>A file transfer for tests that move no file: any call fails.</summary>
internal sealed class NoTransfer : IWebFileTransfer
{
    public Task CopyAsync(WebNode node, IActorRef agent, CaptureFileInfo file, Stream destination, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> DownloadAsync(WebNode node, IActorRef agent, CaptureFileInfo file, string directory, CancellationToken cancellationToken) => throw new NotSupportedException();
}
