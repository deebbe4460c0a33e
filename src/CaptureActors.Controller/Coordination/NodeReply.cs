namespace CaptureActors.Controller.Coordination;

/// <summary>One node's answer to a request sent to many: its reply, or why there is none.</summary>
public sealed record NodeReply<T>(string Node, T? Reply, string? Error)
    where T : class
{
    public bool Answered => Reply is not null;
}
