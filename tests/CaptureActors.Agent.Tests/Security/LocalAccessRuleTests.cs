using CaptureActors.Agent.Security;

namespace CaptureActors.Agent.Tests.Security;

/// <summary>Who may use a plain agent from its host: root, the agent's own user, members of its group (primary or supplementary).</summary>
public sealed class LocalAccessRuleTests
{
    private static readonly LocalAccessRule Rule = new(AgentUid: 998, Group: "capture-actors", GroupId: 990);

    private static LocalPeer Peer(uint uid, uint gid = 1001, uint[]? groups = null, string? name = "bob") => new(4242, uid, gid, groups ?? [gid], name);

    [Theory]
    [InlineData(0u, 0u)]      // root
    [InlineData(998u, 998u)]  // the agent's own user (the systemd unit's capture-agent)
    [InlineData(1001u, 990u)] // primary group
    public void Root_the_agents_user_and_the_groups_members_are_let_in(uint uid, uint gid) =>
        Assert.Null(Rule.Refusal(Peer(uid, gid)));

    [Fact]
    public void A_supplementary_group_as_the_kernel_reports_it_lets_a_user_in() =>
        Assert.Null(Rule.Refusal(Peer(1001, 1001, [1001, 27, 990])));

    [Fact]
    public void Anyone_else_is_refused_with_the_rule_and_how_to_be_let_in() =>
        Assert.Equal(
            "uid 1001 (bob) is not root, not the agent's user (uid 998) and not in group capture-actors (let a user in with: usermod -aG capture-actors NAME, then log in again)",
            Rule.Refusal(Peer(1001, 1001, [1001, 27])));

    [Fact]
    public void An_agent_running_as_root_does_not_name_its_own_user()
    {
        var rule = Rule with { AgentUid = 0 };

        Assert.Equal(
            "uid 1001 is not root and not in group capture-actors (let a user in with: usermod -aG capture-actors NAME, then log in again)",
            rule.Refusal(Peer(1001, name: null)));
    }

    [Fact]
    public void Without_the_group_on_the_host_only_root_and_the_agents_user_get_in()
    {
        var rule = Rule with { AgentUid = 0, GroupId = null };

        Assert.Null(rule.Refusal(Peer(0, 0)));
        Assert.Equal("uid 1001 (bob) is not root, and group capture-actors does not exist on this host", rule.Refusal(Peer(1001, 990, [990])));
        Assert.Equal("root only (group capture-actors does not exist on this host)", rule.Summary);
    }

    [Fact]
    public void The_peer_is_named_by_user_and_uid_for_the_audit_log()
    {
        Assert.Equal("bob (uid 1001)", Peer(1001).Who);
        Assert.Equal("uid 1001", Peer(1001, name: null).Who);
    }
}
