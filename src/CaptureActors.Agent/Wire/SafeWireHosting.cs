using Akka.Actor;
using Akka.Hosting;

namespace CaptureActors.Agent.Wire;

/// <summary>
/// The agent's inbound wire filter, on top of Akka.Remote's <c>untrusted-mode</c> (hocon/agent.hocon). Replaces, by their
/// identifiers, the Akka serializers that a peer could use to make the agent build objects or reach actors it should not:
/// <list type="bullet">
/// <item>Newtonsoft JSON (1), protobuf by class name (2) and remote deployment (3): refused outright
/// (<see cref="RefusedSerializer"/>); no type name from the wire is ever loaded.</item>
/// <item>Actor selections (6): only to <c>akka.remote.trusted-selection-paths</c>, checked before the carried message is
/// read (<see cref="SelectionGuardSerializer"/>).</item>
/// <item>Akka's miscellaneous messages (16): only Identify, ActorIdentity, actor references and remote-watch heartbeats;
/// PoisonPill, Kill, Status.Failure (exception type names) and deployment settings are refused (<see cref="MiscMessageGuardSerializer"/>).</item>
/// </list>
/// Each refusal is a <see cref="System.Runtime.Serialization.SerializationException"/>: Akka's endpoint reader drops the
/// message, logs a WARNING with our reason ("Serializer not defined for message with serializer id [N] … remote message
/// refused: …") and keeps the association, so the peer's good messages still arrive. Our own protocol (4711) has its
/// manifest allow-list in <c>ProtocolSerializer</c>.
/// </summary>
public static class SafeWireHosting
{
    /// <summary>Akka.NET's identifiers of the serializers replaced here (reference.conf of Akka and Akka.Remote).</summary>
    public const int NewtonsoftJsonId = 1;
    public const int ProtobufByClassNameId = 2;
    public const int DaemonCreateId = 3;
    public const int MessageContainerId = 6;
    public const int MiscMessageId = 16;

    /// <summary>
    /// Registers the guards under the names Akka gives those serializers (<c>akka.actor.serializers</c>), so the guard
    /// replaces the original in the configuration itself. Registering them as hosting serializers instead made Akka log
    /// ten "serializer overridden" warnings on every start.
    /// </summary>
    public static AkkaConfigurationBuilder AddSafeWire(this AkkaConfigurationBuilder builder) =>
        builder.AddHocon(
            $$"""
            akka.actor.serializers {
              json = "{{TypeName<RefusedJsonSerializer>()}}"
              proto = "{{TypeName<RefusedProtobufSerializer>()}}"
              daemon-create = "{{TypeName<RefusedDeploymentSerializer>()}}"
              akka-containers = "{{TypeName<SelectionGuardSerializer>()}}"
              akka-misc = "{{TypeName<MiscMessageGuardSerializer>()}}"
            }
            """,
            HoconAddMode.Prepend);

    private static string TypeName<T>() => $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}";
}
