using Akka.Actor;

namespace CaptureActors.Console.Agent;

/// <summary>
/// The shell's console session on one node: one <see cref="ConsoleSessionActor"/> for the shell's whole life, owner
/// (DeathWatch) of every capture started from the shell. Stopping the actor when the shell ends stops those captures
/// with reason owner-lost, as the appliance's CLI does.
/// </summary>
public sealed class ShellCaptureOwner(IActorRef actor)
{
    private readonly Lock _gate = new();
    private readonly List<string> _captureIds = [];

    public IActorRef Actor { get; } = actor;

    /// <summary>Captures started from the shell on this node, oldest first.</summary>
    public IReadOnlyList<string> CaptureIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _captureIds];
            }
        }
    }

    public void Started(string captureId)
    {
        lock (_gate)
        {
            _captureIds.Add(captureId);
        }
    }
}
