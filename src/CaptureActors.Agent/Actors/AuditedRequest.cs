using Akka.Actor;
using CaptureActors.Agent.Security;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Actors;

/// <summary>
/// One audited request on its way (child of <see cref="AgentGuardian"/>): stands in as the sender towards the actor that
/// handles it, passes every reply on to the requester, and writes the request's audit line with the result of the first
/// reply that is not a probe event; then stops. No reply within <see cref="ReplyTimeout"/>: the line says no-reply.
/// </summary>
public sealed class AuditedRequest : ReceiveActor
{
    /// <summary>Longer than any audited request takes (a stop waits at most a few seconds for its files).</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromMinutes(2);

    public AuditedRequest(AuditEntry pending, IActorRef requester, AuditLog audit)
    {
        Receive<ReceiveTimeout>(_ =>
        {
            audit.Write(pending with { Time = DateTime.UtcNow, Result = "no-reply", Reason = $"no reply within {ReplyTimeout.TotalMinutes:0} min" });
            Context.Stop(Self);
        });
        Receive<IProbeEvent>(e => requester.Forward(e));
        ReceiveAny(reply =>
        {
            requester.Forward(reply);
            var (result, code, reason, outcome) = AuditDetails.Of(reply);
            audit.Write(pending with { Time = DateTime.UtcNow, Result = result, Code = code, Reason = reason, Outcome = outcome });
            Context.Stop(Self);
        });
        Context.SetReceiveTimeout(ReplyTimeout);
    }

    public static Props Props(AuditEntry pending, IActorRef requester, AuditLog audit) =>
        Akka.Actor.Props.Create(() => new AuditedRequest(pending, requester, audit));
}
