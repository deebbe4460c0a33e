using Akka.Actor;
using CaptureActors.Protocol;

namespace CaptureActors.Controller.Coordination;

/// <summary>Sends one request to many nodes at once and collects every answer, an unreachable node never delaying the others beyond the timeout.</summary>
public static class NodeFanOut
{
    public static async Task<IReadOnlyList<NodeReply<object>>> AskAllAsync(
        IReadOnlyList<(string Node, IActorRef Agent)> agents,
        Func<string, ICaptureProtocol> request,
        TimeSpan timeout)
    {
        var asks = agents.Select(async a =>
        {
            try
            {
                return new NodeReply<object>(a.Node, await a.Agent.Ask<object>(request(a.Node), timeout).ConfigureAwait(false), null);
            }
            catch (AskTimeoutException)
            {
                return new NodeReply<object>(a.Node, null, $"node '{a.Node}' did not answer within {timeout.TotalSeconds:0.#} s");
            }
        });
        return await Task.WhenAll(asks).ConfigureAwait(false);
    }
}
