using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Controller.Sessions;

/// <summary>A node's agent as a console uses it: the actor to send requests to, and the identity the agent granted.</summary>
/// <param name="Agent">The <see cref="AgentSessionProxy"/> when the agent checks who asks, else the agent itself.</param>
/// <param name="Granted">The session (subject, role, expiry); null when the agent checks nothing (it runs in this process).</param>
public sealed record AgentSession(IActorRef Agent, SessionGranted? Granted);

/// <summary>The agent refused the console's proof of identity; the message is the agent's and says why.</summary>
public sealed class AgentSessionRefusedException(string message) : Exception(message);

/// <summary>Opens sessions with agents (docs/authorization.md).</summary>
public static class AgentSessions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Proves who this console is and returns the session's proxy: with TLS files, its certificate; to a plain agent, its
    /// local user (on the agent's local socket). The agent itself when it checks nothing (it runs in this process).
    /// </summary>
    /// <exception cref="AgentSessionRefusedException">The agent refused the proof, or did not answer in time.</exception>
    /// <exception cref="TlsSetupException">The console's TLS files cannot be used.</exception>
    public static async Task<AgentSession> OpenAsync(ActorSystem system, IActorRef agent, string node, TlsFiles? tls, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var wait = timeout ?? DefaultTimeout;
        var proxy = system.ActorOf(AgentSessionProxy.Props(agent, node, tls?.Load(), CaptureOwner.OfThisProcess("capturectl")));
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
