using System.Net;
using CaptureActors.Agent.Hosting;

namespace CaptureActors.Agent.Tests;

/// <summary>The addresses of the agent's own link that etherconfig protects, from the --listen and --public-host options.</summary>
public sealed class AgentLinkAddressesTests
{
    [Fact]
    public void The_listen_address_and_the_public_address_are_the_agents_link()
    {
        var options = new AgentRemoteOptions { Hostname = "0.0.0.0", PublicHostname = "198.18.4.1" };

        Assert.Equal([IPAddress.Any, IPAddress.Parse("198.18.4.1")], options.LinkAddresses());
    }

    [Fact]
    public void A_bracketed_IPv6_address_and_a_resolvable_name_are_understood()
    {
        var v6 = new AgentRemoteOptions { Hostname = "[fd00:7::1]" };
        var local = new AgentRemoteOptions { Hostname = "localhost" };

        Assert.Equal([IPAddress.Parse("fd00:7::1")], v6.LinkAddresses());
        Assert.Contains(local.LinkAddresses(), IPAddress.IsLoopback);
    }

    [Fact]
    public void The_default_listen_address_is_loopback()
    {
        Assert.Equal([IPAddress.Loopback], new AgentRemoteOptions().LinkAddresses());
    }
}
