using Akka.Hosting;
using Akka.Remote.Hosting;
using CaptureActors.Agent.Wire;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Serialization;

namespace CaptureActors.Agent.Hosting;

/// <summary>Akka.Remote for an agent: the <c>capture-agent</c> host and the tests call the same methods.</summary>
public static class AgentRemotingExtensions
{
    /// <summary>
    /// Listens with Akka.Remote (DotNetty TCP) on <see cref="AgentRemoteOptions.Hostname"/>:<see cref="AgentRemoteOptions.Port"/>,
    /// advertising <see cref="AgentRemoteOptions.PublicHostname"/> when set, and binds the wire format
    /// (<see cref="ConfigureAgentRemoting"/>). The actor system must be named <see cref="AgentAddress.SystemName"/>
    /// for controllers to find <c>/user/agent</c>. Transport tuning (frame size, failure detector) is in <c>hocon/agent.hocon</c>.
    /// </summary>
    public static AkkaConfigurationBuilder AddAgentRemoting(this AkkaConfigurationBuilder builder, AgentRemoteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return builder
            .WithRemoting(new RemoteOptions
            {
                HostName = options.Hostname,
                Port = options.Port,
                PublicHostName = string.IsNullOrWhiteSpace(options.PublicHostname) ? null : options.PublicHostname,
            })
            .ConfigureAgentRemoting();
    }

    /// <summary>
    /// The one place where the agent's wire format is bound: every protocol record travels through our own
    /// <see cref="ProtocolSerializer"/> with its manifest allow-list, never Akka's default type-name JSON
    /// (design.md §6 "Wire safety"), and Akka's own formats are filtered inbound (<see cref="SafeWireHosting.AddSafeWire"/>).
    /// </summary>
    public static AkkaConfigurationBuilder ConfigureAgentRemoting(this AkkaConfigurationBuilder builder) =>
        builder.AddCaptureProtocolSerialization().AddSafeWire();
}
