using CaptureActors.Agent.Security;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Serialization;

namespace CaptureActors.Agent.Tests.Security;

/// <summary>The one table of authorization covers the whole protocol: a new message cannot ship unclassified.</summary>
public sealed class CommandRolesTests
{
    public static TheoryData<string> Manifests => [.. ProtocolSerializer.AllowedTypes.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_allow_listed_message_is_exactly_one_of_request_session_step_or_reply(string manifest)
    {
        var type = ProtocolSerializer.AllowedTypes[manifest];

        var kinds = new[]
        {
            CommandRoles.Requests.ContainsKey(type) ? "request" : null,
            CommandRoles.SessionSteps.Contains(type) ? "session step" : null,
            CommandRoles.Replies.Contains(type) ? "reply" : null,
        }.OfType<string>().ToList();

        Assert.True(kinds.Count == 1, $"{manifest} is classified as [{string.Join(", ", kinds)}] in CommandRoles: give it exactly one place (a request needs its role)");
    }

    [Fact]
    public void The_table_holds_only_allow_listed_types()
    {
        var allowed = ProtocolSerializer.AllowedTypes.Values.ToHashSet();
        Assert.All(CommandRoles.Requests.Keys.Concat(CommandRoles.SessionSteps).Concat(CommandRoles.Replies), t => Assert.Contains(t, allowed));
    }

    [Fact]
    public void Every_request_of_an_agent_interface_is_in_the_table()
    {
        var requestInterfaces = new[] { typeof(ICaptureCommand), typeof(IFileCommand), typeof(IAgentQuery), typeof(IProbeCommand) };
        var requests = ProtocolSerializer.AllowedTypes.Values.Where(t => requestInterfaces.Any(i => i.IsAssignableFrom(t)));

        Assert.All(requests, t => Assert.True(CommandRoles.Requests.ContainsKey(t), $"{t.Name} is a request but has no role"));
    }

    [Theory]
    [InlineData(typeof(GetCaptureStatus), AgentRole.Viewer, false)]
    [InlineData(typeof(ListFiles), AgentRole.Viewer, false)]
    [InlineData(typeof(CheckFilter), AgentRole.Viewer, false)]
    [InlineData(typeof(ListTcpServices), AgentRole.Viewer, false)]
    [InlineData(typeof(ShowEtherconfig), AgentRole.Viewer, false)]
    [InlineData(typeof(PingHost), AgentRole.Viewer, false)]
    [InlineData(typeof(StartCapture), AgentRole.Operator, true)]
    [InlineData(typeof(StopCapture), AgentRole.Operator, true)]
    [InlineData(typeof(UpdateSetup), AgentRole.Operator, true)]
    [InlineData(typeof(OpenDownload), AgentRole.Operator, true)]
    [InlineData(typeof(DeleteFiles), AgentRole.Operator, true)]
    [InlineData(typeof(ClearFiles), AgentRole.Operator, true)]
    [InlineData(typeof(FlushCaches), AgentRole.Operator, true)]
    [InlineData(typeof(SetMtu), AgentRole.Operator, true)]
    [InlineData(typeof(AddVlan), AgentRole.Operator, true)]
    [InlineData(typeof(RemoveVlan), AgentRole.Operator, true)]
    public void Reading_is_for_viewers_changing_and_reading_captured_data_for_operators_and_audited(Type type, AgentRole role, bool audited)
    {
        var rule = CommandRoles.Requests[type];

        Assert.Equal(role, rule.Role);
        Assert.Equal(audited, rule.Audited(null!));
    }

    [Fact]
    public void A_chunked_download_is_audited_once_at_its_first_chunk()
    {
        var rule = CommandRoles.Requests[typeof(ReadFileChunk)];

        Assert.Equal(AgentRole.Operator, rule.Role);
        Assert.True(rule.Audited(new ReadFileChunk("a.pcap", 0, 65536)));
        Assert.False(rule.Audited(new ReadFileChunk("a.pcap", 65536, 65536)));
    }
}
