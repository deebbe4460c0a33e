using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Controller.Sessions;

/// <summary>A node's agent as a console uses it: the actor to send requests to, and the identity the agent granted.</summary>
/// <param name="Agent">The <see cref="AgentSessionProxy"/> when the agent checks certificates, else the agent itself.</param>
/// <param name="Granted">The session (subject, role, expiry); null when the agent checks no certificates.</param>
public sealed record AgentSession(IActorRef Agent, SessionGranted? Granted);

/// <summary>The agent refused the console's proof of identity; the message is the agent's and says why.</summary>
public sealed class AgentSessionRefusedException(string message) : Exception(message);

/// <summary>Opens sessions with agents (docs/authorization.md).</summary>
public static class AgentSessions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// With TLS files: proves the console's certificate to the agent and returns the session's proxy (or the agent itself
    /// when it checks no certificates). Without: the agent as it is (an agent that checks certificates refuses each request).
    /// </summary>
    /// <exception cref="AgentSessionRefusedException">The agent refused the proof, or did not answer in time.</exception>
    /// <exception cref="TlsSetupException">The console's TLS files cannot be used.</exception>
    public static async Task<AgentSession> OpenAsync(ActorSystem system, IActorRef agent, string node, TlsFiles? tls, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (tls is null)
        {
            return new AgentSession(agent, null);
        }

        var wait = timeout ?? DefaultTimeout;
        var proxy = system.ActorOf(AgentSessionProxy.Props(agent, node, tls.Load(), CaptureOwner.OfThisProcess("capturectl")));
        object reply;
        try
        {
            reply = await proxy.Ask<object>(AgentSessionProxy.Open.Instance, wait).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            system.Stop(proxy);
            throw new AgentSessionRefusedException($"node '{node}' did not answer the session handshake within {DurationText.Format(wait)}");
        }

        switch (reply)
        {
            case AgentSessionProxy.Opened { Granted: { } granted }:
                return new AgentSession(proxy, granted);
            case AgentSessionProxy.Opened:
                system.Stop(proxy);
                return new AgentSession(agent, null);
            case CommandFailed failed:
                system.Stop(proxy);
                throw new AgentSessionRefusedException(failed.Message);
            default:
                system.Stop(proxy);
                throw new AgentSessionRefusedException($"node '{node}' answered the session handshake with an unexpected {reply.GetType().Name}");
        }
    }
}
