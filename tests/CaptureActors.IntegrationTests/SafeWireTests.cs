using System.Text;
using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// Safe wire (issue 6): a hostile peer sends forged messages RAW to a real capture-agent process over Akka.Remote while a
/// capture runs. Each one is dropped with a WARNING naming it, the agent keeps answering, the capture keeps running and
/// its well-behaved clients never notice.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class SafeWireTests(AgentUnderTest agent, ITestOutputHelper output) : IClassFixture<AgentUnderTest>
{
    /// <summary>Akka's endpoint reader prefix for a message its serializer refused (the association stays up).</summary>
    private const string Dropped = "Transient association error (association remains live)";

    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    public static TheoryData<string, Func<WireForger, IActorRef, int, Task>, string> DirectMessages => new()
    {
        {
            "unknown manifest under our serializer",
            (forger, target, _) => Tell(target, new ForgedProtocolMessage("NoSuchCommand", "{}"u8.ToArray())),
            "Unknown CaptureActors protocol manifest 'NoSuchCommand'"
        },
        {
            "$type gadget under an allowed manifest",
            (forger, target, _) => Tell(target, new ForgedProtocolMessage("StopCapture", Encoding.UTF8.GetBytes(ProcessGadget))),
            "'StopCapture' payload (" 
        },
        {
            "ObjectDataProvider gadget under an unknown manifest",
            (forger, target, _) => Tell(target, new ForgedProtocolMessage("System.Windows.Data.ObjectDataProvider, PresentationFramework", Encoding.UTF8.GetBytes(ObjectDataProviderGadget))),
            "Unknown CaptureActors protocol manifest 'System.Windows.Data.ObjectDataProvider, PresentationFramework'"
        },
        {
            "Process gadget under Akka's Newtonsoft JSON serializer",
            (forger, target, _) => Tell(target, new ForgedNewtonsoftMessage("System.Diagnostics.Process, System.Diagnostics.Process", Encoding.UTF8.GetBytes(ProcessGadget))),
            "remote message refused: Newtonsoft JSON with type names (serializer 1)"
        },
        {
            "a class name under Akka's protobuf serializer",
            (forger, target, _) => Tell(target, new ForgedProtobufMessage("System.Diagnostics.Process, System.Diagnostics.Process", [8, 1])),
            "remote message refused: protobuf by class name (serializer 2)"
        },
        {
            "PoisonPill to the agent",
            (forger, target, _) => Tell(target, PoisonPill.Instance),
            "remote message refused: Akka message 'PP' (serializer 16)"
        },
        {
            "Kill to the agent",
            (forger, target, _) => Tell(target, Kill.Instance),
            "remote message refused: Akka message 'K' (serializer 16)"
        },
    };

    [PrivilegedTheory]
    [MemberData(nameof(DirectMessages))]
    public async Task A_forged_message_is_dropped_and_logged_and_the_capture_keeps_running(
        string what, Func<WireForger, IActorRef, int, Task> send, string logged)
    {
        Privilege.Require();
        var capture = EnsureCaptureRunning();
        using var forger = new WireForger();
        var target = await forger.ResolveAgentAsync(agent.Port);
        var before = agent.LogCount(logged);

        await send(forger, target, agent.Port);

        agent.WaitForLog(logged, before);
        Assert.Contains(Dropped, agent.Process.StandardError);
        AssertStillCapturing(capture, what);
    }

    public static TheoryData<string, string> RefusedSelections => new()
    {
        { "/system/endpointManager", "actor selection of '/system/endpointManager'" },
        { "/system/remote-watcher", "a selection of '/system/remote-watcher' may carry only a remote-watch heartbeat" },
        { "/user/agent/capture", "actor selection of '/user/agent/capture'" },
        { "/user/agent/files", "actor selection of '/user/agent/files'" },
        { "/user/*", "actor selection of '/user/*'" },
        { "/user/agent/capture/..", "actor selection of '/user/agent/capture/..'" },
    };

    [PrivilegedTheory]
    [MemberData(nameof(RefusedSelections))]
    public async Task A_selection_outside_the_trusted_paths_gets_no_answer_and_is_logged(string path, string logged)
    {
        Privilege.Require();
        var capture = EnsureCaptureRunning();
        using var forger = new WireForger();
        var before = agent.LogCount(logged);

        await Assert.ThrowsAsync<AskTimeoutException>(() => forger.Select(agent.Port, path).Ask<ActorIdentity>(new Identify(path), Quiet));

        agent.WaitForLog(logged, before);
        AssertStillCapturing(capture, path);
    }

    [PrivilegedFact]
    public async Task The_guards_replace_Akkas_serializers_in_the_configuration_without_override_warnings()
    {
        Privilege.Require();
        using var forger = new WireForger();
        await forger.ResolveAgentAsync(agent.Port);

        Assert.DoesNotContain("are being overriden", agent.Process.StandardError, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public async Task The_trusted_path_still_resolves_for_a_peer_that_was_refused_a_moment_before()
    {
        Privilege.Require();
        using var forger = new WireForger();
        await Assert.ThrowsAsync<AskTimeoutException>(() => forger.Select(agent.Port, "/system").Ask<ActorIdentity>(new Identify(1), Quiet));

        var identity = await forger.Select(agent.Port, "/user/agent").Ask<ActorIdentity>(new Identify(2), AgentUnderTest.Bound);

        Assert.NotNull(identity.Subject);
        Assert.Equal("/user/agent", identity.Subject.Path.ToStringWithoutAddress());
    }

    [PrivilegedFact]
    public async Task An_oversized_frame_is_dropped_with_its_association_and_the_agent_serves_on()
    {
        Privilege.Require();
        var capture = EnsureCaptureRunning();
        using var forger = new WireForger(maximumFrameSize: 4_000_000);
        var target = await forger.ResolveAgentAsync(agent.Port);
        var before = agent.LogCount("TooLongFrameException");

        target.Tell(new ForgedProtocolMessage("IdentifyAgent", new byte[1_000_000]));

        agent.WaitForLog("TooLongFrameException", before);
        AssertStillCapturing(capture, "oversized frame");
    }

    private const string ProcessGadget =
        """{"$type":"System.Diagnostics.Process, System.Diagnostics.Process","StartInfo":{"$type":"System.Diagnostics.ProcessStartInfo, System.Diagnostics.Process","FileName":"/bin/touch","Arguments":"/tmp/ca-wire-pwned"}}""";

    private const string ObjectDataProviderGadget =
        """{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework","MethodName":"Start","MethodParameters":{"$type":"System.Collections.ArrayList, mscorlib","$values":["/bin/touch","/tmp/ca-wire-pwned"]},"ObjectInstance":{"$type":"System.Diagnostics.Process, System"}}""";

    private static Task Tell(IActorRef target, object message)
    {
        target.Tell(message);
        return Task.CompletedTask;
    }

    /// <summary>A detached capture on lo, started once for the class by the real capturectl; its capture id.</summary>
    private string EnsureCaptureRunning()
    {
        var status = agent.Status();
        if (status.State != CaptureState.Running)
        {
            var start = agent.Ctl("packetcapture", "start", "-i", "lo", "-f", "udp port 9", "--duration", "10m", "--detach");
            Assert.True(start.ExitCode == 0, start.StandardOutput + start.StandardError);
            status = agent.Status();
        }

        Assert.Equal(CaptureState.Running, status.State);
        return status.CaptureId!;
    }

    private void AssertStillCapturing(string captureId, string after)
    {
        foreach (var line in agent.Process.StandardError.Split('\n').Where(l => l.Contains("refused", StringComparison.Ordinal) || l.Contains("TooLongFrame", StringComparison.Ordinal)).TakeLast(1))
        {
            output.WriteLine(line);
        }

        var status = agent.Status();
        Assert.True(status.State == CaptureState.Running && status.CaptureId == captureId, $"after {after}: {status}");
        Assert.Equal(AgentUnderTest.Node, agent.Identify().Node);
        Assert.False(File.Exists("/tmp/ca-wire-pwned"), "a gadget ran");
    }
}
