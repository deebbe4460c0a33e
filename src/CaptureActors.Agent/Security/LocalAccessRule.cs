using System.Globalization;

namespace CaptureActors.Agent.Security;

/// <summary>
/// Who may use a plain agent from its own host (docs/authorization.md, "Local consoles"): root, the agent's own user,
/// and members of one group (default <see cref="DefaultGroup"/>; the process's groups as the kernel reports them, so a
/// user added with <c>usermod -aG</c> is in after logging in again). Everyone else is refused with the rule named.
/// Pure: no I/O.
/// </summary>
/// <param name="AgentUid">The agent's own effective uid (the service user of the systemd unit).</param>
/// <param name="Group">The group's name, for messages.</param>
/// <param name="GroupId">The group's id; null when the host has no such group (then only root and the agent's user).</param>
public sealed record LocalAccessRule(uint AgentUid, string Group, uint? GroupId)
{
    public const string DefaultGroup = "capture-actors";

    /// <summary>The rule for this host: the group looked up in its user database.</summary>
    public static LocalAccessRule ForHost(string group) =>
        new(PosixAccounts.EffectiveUserId(), group, PosixAccounts.GroupId(group));

    /// <summary>Null when <paramref name="peer"/> may use the agent; otherwise the refusal, naming the rule.</summary>
    public string? Refusal(LocalPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Uid == 0 || peer.Uid == AgentUid)
        {
            return null;
        }

        if (GroupId is { } gid && (peer.Gid == gid || peer.Groups.Contains(gid)))
        {
            return null;
        }

        var uid = peer.Uid.ToString(CultureInfo.InvariantCulture);
        var name = peer.UserName is null ? "" : $" ({peer.UserName})";
        var own = AgentUid == 0 ? "" : $", not the agent's user (uid {AgentUid.ToString(CultureInfo.InvariantCulture)})";
        return GroupId is null
            ? $"uid {uid}{name} is not root{own}, and group {Group} does not exist on this host"
            : $"uid {uid}{name} is not root{own} and not in group {Group} (let a user in with: usermod -aG {Group} NAME, then log in again)";
    }

    /// <summary>For the agent's startup log.</summary>
    public string Summary => GroupId is { } gid
        ? $"root{(AgentUid == 0 ? "" : $", uid {AgentUid.ToString(CultureInfo.InvariantCulture)}")} and members of group {Group} (gid {gid.ToString(CultureInfo.InvariantCulture)})"
        : $"root{(AgentUid == 0 ? "" : $" and uid {AgentUid.ToString(CultureInfo.InvariantCulture)}")} only (group {Group} does not exist on this host)";
}
