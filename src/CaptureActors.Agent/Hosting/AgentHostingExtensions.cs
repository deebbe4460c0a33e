using Akka.Hosting;
using CaptureActors.Agent.Actors;
using CaptureActors.Capture;

namespace CaptureActors.Agent.Hosting;

/// <summary>Registers a node's agent actors (design.md §3) on an Akka.Hosting builder; hosts and tests call the same method.</summary>
public static class AgentHostingExtensions
{
    /// <summary>
    /// Starts <c>/user/agent</c> (<see cref="AgentGuardian"/>) with its children. The guardian is in the
    /// <see cref="ActorRegistry"/>: <c>registry.Get&lt;AgentGuardian&gt;()</c>; every protocol request goes to it.
    /// </summary>
    public static AkkaConfigurationBuilder AddCaptureAgent(this AkkaConfigurationBuilder builder, AgentOptions options, ICaptureEngine engine) =>
        builder.WithActors((system, registry) =>
        {
            var guardian = system.ActorOf(AgentGuardian.Props(options, engine), "agent");
            registry.Register<AgentGuardian>(guardian);
        });
}
