using System.Collections.Concurrent;
using Akka.Actor;
using CaptureActors.Controller.Nodes;
using CaptureActors.Controller.Sessions;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Web.Nodes;

/// <summary>
/// The page's way to each node's agent over the long life of <c>capturectl serve</c>: a remote agent is resolved when
/// first needed and again after it stopped answering (it may restart on a new incarnation), so a node down when the
/// page started shows up once it is back. Clock offsets are measured again every <see cref="ClockRefresh"/>.
/// With TLS files (<paramref name="tls"/>), each remote agent gets the console's proof of identity as the CLI gives it
/// (<see cref="AgentSessions"/>): requests go through the session's proxy, so an agent that checks certificates grants
/// the page the role of serve's certificate; without the proof it would refuse every request.
/// </summary>
public sealed class NodeConnections(ActorSystem system, IReadOnlyList<WebNode> nodes, TlsFiles? tls = null)
{
    public static readonly TimeSpan ClockRefresh = TimeSpan.FromSeconds(15);

    /// <summary>How long one resolution of an agent may take; an unreachable node is retried on the next request.</summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, Task<IActorRef>> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ClockReading Reading, DateTimeOffset At)> _clocks = new(StringComparer.Ordinal);

    public ActorSystem System { get; } = system;

    public IReadOnlyList<WebNode> Nodes { get; } = nodes;

    public WebNode Node(string name) =>
        Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new WebFailure($"unknown node '{name}': known nodes are {string.Join(", ", Nodes.Select(n => n.Name))}", status: 404);

    /// <summary>The node's agent; <see cref="WebFailure"/> (503) naming the node when it does not answer.</summary>
    public async Task<IActorRef> AgentAsync(WebNode node)
    {
        if (node.EmbeddedAgent is { } embedded)
        {
            return embedded;
        }

        var resolving = _agents.GetOrAdd(node.Name, _ => ConnectAsync(node));
        try
        {
            return await resolving.ConfigureAwait(false);
        }
        catch (NodeUnreachableException e)
        {
            _agents.TryRemove(new KeyValuePair<string, Task<IActorRef>>(node.Name, resolving));
            throw new WebFailure(e.Message, ErrorCode.Timeout, 503);
        }
        catch (AgentSessionRefusedException e)
        {
            _agents.TryRemove(new KeyValuePair<string, Task<IActorRef>>(node.Name, resolving));
            throw new WebFailure(NodeText.Prefixed(node.Name, e.Message), ErrorCode.Forbidden, 403);
        }
    }

    /// <summary>Resolves the node's agent and, with TLS files, proves this console's certificate to it.</summary>
    private async Task<IActorRef> ConnectAsync(WebNode node)
    {
        var agent = await AgentResolver.ResolveAsync(System, node.Address!, ResolveTimeout).ConfigureAwait(false);
        var session = await AgentSessions.OpenAsync(System, agent, node.Name, tls, ResolveTimeout).ConfigureAwait(false);
        return session.Agent;
    }

    /// <summary>The agent did not answer: resolve it anew next time.</summary>
    public void Forget(WebNode node)
    {
        _agents.TryRemove(node.Name, out _);
        _clocks.TryRemove(node.Name, out _);
    }

    /// <summary>Sends <paramref name="request"/> and expects a <typeparamref name="TReply"/>; a refusal or silence is a <see cref="WebFailure"/>.</summary>
    public async Task<TReply> AskAsync<TReply>(WebNode node, ICaptureProtocol request, TimeSpan timeout)
    {
        var agent = await AgentAsync(node).ConfigureAwait(false);
        object reply;
        try
        {
            reply = await agent.Ask<object>(request, timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            Forget(node);
            throw new WebFailure($"node '{node.Name}' did not answer {request.GetType().Name} within {timeout.TotalSeconds:0.#} s", ErrorCode.Timeout, 504);
        }

        return reply switch
        {
            TReply expected => expected,
            CommandFailed failed => throw new WebFailure(NodeText.Prefixed(node.Name, failed.Message), failed.Code),
            CaptureRejected rejected => throw new WebFailure(NodeText.Prefixed(node.Name, rejected.Message), rejected.Code, 409),
            _ => throw new WebFailure($"node '{node.Name}' answered {request.GetType().Name} with an unexpected {reply.GetType().Name}", ErrorCode.Internal, 502),
        };
    }

    /// <summary>The node's clock offset and identity, measured at most <see cref="ClockRefresh"/> ago.</summary>
    public async Task<ClockReading> ClockAsync(WebNode node)
    {
        if (_clocks.TryGetValue(node.Name, out var cached) && DateTimeOffset.UtcNow - cached.At < ClockRefresh)
        {
            return cached.Reading;
        }

        var agent = await AgentAsync(node).ConfigureAwait(false);
        try
        {
            var reading = await ClockProbe.MeasureAsync(agent, timeout: ResolveTimeout).ConfigureAwait(false);
            _clocks[node.Name] = (reading, DateTimeOffset.UtcNow);
            return reading;
        }
        catch (AskTimeoutException)
        {
            Forget(node);
            throw new WebFailure($"node '{node.Name}' did not answer its clock probe within {ResolveTimeout.TotalSeconds:0} s", ErrorCode.Timeout, 504);
        }
    }
}
