using Akka.Actor;
using CaptureActors.Controller.Sessions;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Console.Agent;

/// <summary>
/// The console proves its certificate to each remote agent it connects to (<c>--tls-cert/--tls-key/--tls-ca</c>, no
/// extra option): see <see cref="AgentSessions"/>. A refusal or an unusable TLS file is a failure naming the node (exit 1).
/// </summary>
public static class ConsoleIdentity
{
    public static async Task<AgentSession> OpenAsync(ActorSystem system, IActorRef agent, string node, AgentTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            return await AgentSessions.OpenAsync(system, agent, node, target.Tls).ConfigureAwait(false);
        }
        catch (AgentSessionRefusedException e)
        {
            throw new CapturectlFailure(e.Message, ErrorCode.Forbidden);
        }
        catch (TlsSetupException e)
        {
            throw new CapturectlFailure(e.Message, ErrorCode.InvalidSettings);
        }
    }
}
