using System.Security.Cryptography.X509Certificates;
using CaptureActors.Agent.Security;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Tests.Security;

public sealed class RoleMapTests
{
    private static X500DistinguishedName Subject(string dn) => new(dn);

    [Theory]
    [InlineData("CN=viewer", "CN=viewer, O=CaptureActors dev", AgentRole.Viewer)]
    [InlineData("cn=VIEWER", "CN=viewer, O=CaptureActors dev", AgentRole.Viewer)]
    [InlineData("CN=viewer, O=CaptureActors dev", "CN=viewer, O=CaptureActors dev", AgentRole.Viewer)]
    [InlineData("O=CaptureActors dev, CN=viewer", "CN=viewer, O=CaptureActors dev", AgentRole.Viewer)]
    [InlineData("CN=viewer, O=Other", "CN=viewer, O=CaptureActors dev", null)]
    [InlineData("CN=viewer, O=CaptureActors dev", "CN=viewer, O=CaptureActors dev, OU=x", null)]
    [InlineData("CN=view", "CN=viewer, O=CaptureActors dev", null)]
    [InlineData("O=CaptureActors dev", "CN=viewer, O=CaptureActors dev", null)]
    public void A_common_name_matches_any_subject_with_it_a_full_name_only_the_same_attributes(string entry, string subject, AgentRole? expected)
    {
        var map = RoleMap.Parse([], [entry]);

        Assert.Equal(expected, map.RoleOf(Subject(subject)));
    }

    [Fact]
    public void A_subject_under_both_roles_is_an_operator()
    {
        var map = RoleMap.Parse(["CN=ops"], ["CN=ops", "CN=viewer"]);

        Assert.Equal(AgentRole.Operator, map.RoleOf(Subject("CN=ops, O=x")));
        Assert.Equal(AgentRole.Viewer, map.RoleOf(Subject("CN=viewer, O=x")));
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("CN")]
    [InlineData("")]
    public void An_entry_that_is_no_distinguished_name_is_refused_naming_it(string entry)
    {
        var error = Assert.Throws<FormatException>(() => RoleMap.Parse([], [entry]));

        Assert.StartsWith("capture-agent.authorization.viewers: ", error.Message);
    }
}
