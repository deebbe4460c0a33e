using System.Collections.Frozen;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Serialization;
using Akka.Serialization;

namespace CaptureActors.Agent.Wire;

/// <summary>
/// Akka's actor-selection serializer (identifier 6) with a gate in front: in <c>untrusted-mode</c> a remote selection
/// must name one of <c>akka.remote.trusted-selection-paths</c> exactly (no <c>..</c>, no wildcards), and a selection into
/// <c>/system</c> may only carry a remote-watch heartbeat. A refused selection is a <see cref="SerializationException"/>
/// that names the path (the carried message was already read by its own, guarded, serializer: Akka's envelope type is internal).
/// Akka's own untrusted mode would drop the same selections, but only with a DEBUG line.
/// </summary>
public sealed class SelectionGuardSerializer : Serializer
{
    private readonly MessageContainerSerializer _inner;
    private readonly bool _untrusted;
    private readonly FrozenSet<string> _trustedPaths;

    public SelectionGuardSerializer(ExtendedActorSystem system)
        : base(system)
    {
        ArgumentNullException.ThrowIfNull(system);
        _inner = new MessageContainerSerializer(system);
        var config = system.Settings.Config;
        _untrusted = config.GetBoolean("akka.remote.untrusted-mode", false);
        _trustedPaths = (config.GetStringList("akka.remote.trusted-selection-paths") ?? []).ToFrozenSet(StringComparer.Ordinal);
    }

    public override int Identifier => SafeWireHosting.MessageContainerId;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) => _inner.ToBinary(obj);

    public override object FromBinary(byte[] bytes, Type type)
    {
        var message = _inner.FromBinary(bytes, type);
        if (_untrusted && message is ActorSelectionMessage selection)
        {
            Check(selection);
        }

        return message;
    }

    private void Check(ActorSelectionMessage selection)
    {
        // Spelt as Akka's untrusted-mode check does: "/" + the elements joined by "/" (a parent is "..").
        var path = "/" + string.Join("/", selection.Elements.Select(element => element.ToString()));
        if (!_trustedPaths.Contains(path))
        {
            throw new SerializationException(
                $"remote message refused: actor selection of '{Printable(path)}' ({selection.Message.GetType().Name}) is not allowed; " +
                $"remote peers may select only {string.Join(", ", _trustedPaths.Order(StringComparer.Ordinal))} (akka.remote.trusted-selection-paths)");
        }

        if (path.StartsWith("/system/", StringComparison.Ordinal) && selection.Message is not (RemoteWatcher.Heartbeat or RemoteWatcher.HeartbeatRsp))
        {
            throw new SerializationException(
                $"remote message refused: a selection of '{path}' may carry only a remote-watch heartbeat, not {selection.Message.GetType().Name}");
        }
    }

    /// <summary>Text from the wire, safe for a log line: at most 200 characters, control characters escaped.</summary>
    internal static string Printable(string text)
    {
        var shown = text.Length > 200 ? text[..200] + "…" : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
