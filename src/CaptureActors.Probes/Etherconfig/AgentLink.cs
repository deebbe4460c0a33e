using System.Net;
using System.Net.Sockets;
using CaptureActors.Probes.Sockets;

namespace CaptureActors.Probes.Etherconfig;

/// <summary>
/// Which interfaces carry the agent's own remote link, so that <c>etherconfig</c> never cuts the branch it sits on:
/// an interface holding one of <see cref="ProbeEnvironment.AgentLinkAddresses"/> (any address of the family for
/// <c>0.0.0.0</c> / <c>::</c>), and the parent of a VLAN that does (its MTU bounds the VLAN's). Loopback is always
/// protected: it carries the consoles' and local agents' links and the node's local services.
/// </summary>
public static class AgentLink
{
    /// <summary>Protected interface names, each with why.</summary>
    public static IReadOnlyDictionary<string, string> Protected(IReadOnlyList<LinkRecord> links, IReadOnlyList<IPAddress> agentAddresses)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (link.IsLoopback)
            {
                reasons[link.Name] = "loopback carries the node's local links (consoles and agents on this node, local services)";
                continue;
            }

            var held = link.IpAddresses.FirstOrDefault(a => agentAddresses.Any(agent => Carries(agent, a)));
            if (held is not null)
            {
                var listen = agentAddresses.First(agent => Carries(agent, held));
                reasons[link.Name] = SocketAddresses.IsWildcard(listen)
                    ? $"the agent listens on every address ({listen}), and {link.Name} holds {held}"
                    : $"it holds {held}, the address the agent's remote link uses";
            }
        }

        foreach (var link in links)
        {
            if (link.Vlan is { } vlan && reasons.ContainsKey(link.Name) && !reasons.ContainsKey(vlan.Parent) && !link.IsLoopback)
            {
                reasons[vlan.Parent] = $"it is the parent of {link.Name}, which carries the agent's remote link";
            }
        }

        return reasons;
    }

    private static bool Carries(IPAddress agent, IPAddress address)
    {
        if (agent.Equals(IPAddress.Any))
        {
            return address.AddressFamily == AddressFamily.InterNetwork;
        }

        if (agent.Equals(IPAddress.IPv6Any))
        {
            // A "::" listener is dual-stack on Linux by default: every address of the node.
            return true;
        }

        return SocketAddresses.Unmapped(agent).Equals(address);
    }
}
