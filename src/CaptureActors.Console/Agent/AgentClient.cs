using Akka.Actor;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Agent;

/// <summary>
/// Typed requests to one node's agent over Ask. Each call returns the expected reply or throws
/// <see cref="CapturectlFailure"/> saying what failed (a CommandFailed reply, an unexpected reply or no reply in time).
/// </summary>
public sealed class AgentClient(IActorRef agent, string nodeName, TimeSpan timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public IActorRef Agent { get; } = agent;

    public string NodeName { get; } = nodeName;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Sends <paramref name="request"/> and returns whatever the agent answers (a CommandFailed included).</summary>
    public async Task<object> AskAsync(ICaptureProtocol request, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var wait = timeout ?? Timeout;
        try
        {
            return await Agent.Ask<object>(request, wait, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            throw new CapturectlFailure(
                $"node '{NodeName}' did not answer {RequestName(request)} within {DurationText.Format(wait)}", ErrorCode.Timeout);
        }
    }

    /// <summary>Sends <paramref name="request"/> and expects a <typeparamref name="TReply"/>.</summary>
    public async Task<TReply> RequestAsync<TReply>(ICaptureProtocol request, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var reply = await AskAsync(request, cancellationToken, timeout).ConfigureAwait(false);
        return reply switch
        {
            TReply expected => expected,
            CommandFailed failed => throw new CapturectlFailure(failed.Message, failed.Code),
            Status.Failure failure => throw new CapturectlFailure(
                $"node '{NodeName}' failed to handle {RequestName(request)}: {failure.Cause.Message}", ErrorCode.Internal),
            _ => throw new CapturectlFailure(
                $"node '{NodeName}' answered {RequestName(request)} with an unexpected {reply.GetType().Name}", ErrorCode.Internal),
        };
    }

    public Task<CaptureStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        RequestAsync<CaptureStatus>(GetCaptureStatus.Instance, cancellationToken);

    public Task<CaptureStopped> StopAsync(string? captureId, CancellationToken cancellationToken) =>
        RequestAsync<CaptureStopped>(new StopCapture(captureId), cancellationToken);

    public Task<FileListing> ListFilesAsync(CancellationToken cancellationToken) =>
        RequestAsync<FileListing>(ListFiles.Instance, cancellationToken);

    private static string RequestName(ICaptureProtocol request) => request.GetType().Name;
}
