using Akka.Actor;
using CaptureActors.Controller.Nodes;

namespace CaptureActors.Web.Nodes;

/// <summary>A node the page shows: a remote agent by its address, or the agent embedded in this process.</summary>
/// <param name="Address">The remote agent's address; null for the embedded agent.</param>
/// <param name="EmbeddedAgent">The agent living in this process (no node given to <c>capturectl serve</c>).</param>
public sealed record WebNode(string Name, NodeAddress? Address, IActorRef? EmbeddedAgent)
{
    public string Endpoint => Address?.Endpoint ?? "embedded";

    public static WebNode Remote(NodeAddress address) => new(address.Name, address, null);

    public static WebNode Embedded(string name, IActorRef agent) => new(name, null, agent);
}
