using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary>Turns a refused start into a failure that says why; for AlreadyRunning, which capture runs, whose and since when.</summary>
public static class CaptureRejection
{
    public static CapturectlFailure ToFailure(CaptureRejected rejected)
    {
        if (rejected is { Code: ErrorCode.AlreadyRunning, Running: { } running })
        {
            return new CapturectlFailure(
                $"{rejected.Message} (capture {running.CaptureId}, owner {running.Owner}, started {TextFormat.Time(running.StartedAt)}, pid {running.ProcessId}); stop it with: capturectl packetcapture stop",
                rejected.Code,
                running);
        }

        return new CapturectlFailure(rejected.Message, rejected.Code);
    }

    public static CaptureStarted Expect(object reply) => reply switch
    {
        CaptureStarted started => started,
        CaptureRejected rejected => throw ToFailure(rejected),
        CommandFailed failed => throw new CapturectlFailure(failed.Message, failed.Code),
        _ => throw new CapturectlFailure($"the agent answered StartCapture with an unexpected {reply.GetType().Name}", ErrorCode.Internal),
    };
}
