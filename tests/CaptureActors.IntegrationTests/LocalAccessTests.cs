using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Serialization;
using CaptureActors.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// A plain agent on loopback serves only local users the kernel names as root, its own user or a member of its group
/// (issue 14, docs/authorization.md "Local consoles"): the real capture-agent with <c>--local-group</c>, the real
/// capturectl run as a temporary system user outside the group, as one inside it, and as root; the audit log's
/// <c>who</c> is the kernel's uid, never the console's claim; a peer that claims another console's Akka address gains nothing.
/// </summary>
[Collection(PrivilegedCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalAccessTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _data = new("ca-local-");
    private readonly TempDirectory _homes = new("ca-local-home-");
    private readonly TemporaryGroup? _group;
    private readonly TemporarySystemUser? _outsider;
    private readonly TemporarySystemUser? _member;
    private readonly CaptureAgentProcess? _agent;

    public LocalAccessTests(ITestOutputHelper output)
    {
        _output = output;
        if (!Privilege.IsRoot)
        {
            return;
        }

        _group = new TemporaryGroup();
        _outsider = new TemporarySystemUser();
        _member = new TemporarySystemUser(supplementaryGroup: _group.Name);
        File.SetUnixFileMode(_homes.Path, (UnixFileMode)0b111_101_101);
        _agent = CaptureAgentProcess.Start(_data.Path, "local1", "--local-group", _group.Name);
    }

    private string Node => $"local1=127.0.0.1:{_agent!.Port}";

    private string AuditPath => Path.Combine(_data.Path, "audit.log");

    private List<JsonElement> Audit() => [.. File.ReadAllLines(AuditPath).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public void Dispose()
    {
        _output.WriteLine(File.Exists(AuditPath) ? File.ReadAllText(AuditPath) : "(no audit log)");
        _agent?.Dispose();
        _outsider?.Dispose();
        _member?.Dispose();
        _group?.Dispose();
        _data.Dispose();
        _homes.Dispose();
    }

    /// <summary>capturectl as <paramref name="user"/> (null: root, this process's user), with a home and output directory of its own.</summary>
    private ProcessResult As(TemporarySystemUser? user, params string[] command)
    {
        ProcessResult result;
        if (user is null)
        {
            result = ProcessRunner.Run(Capturectl.Executable, ["--node", Node, .. command], CommandTimeout);
        }
        else
        {
            var home = Path.Combine(_homes.Path, user.Name);
            if (!Directory.Exists(home))
            {
                Directory.CreateDirectory(home);
                user.Own(home, "700");
            }

            result = user.Run(home, Capturectl.Executable, ["--node", Node, .. command], CommandTimeout);
        }

        _output.WriteLine($"[{user?.Name ?? "root"}] capturectl {string.Join(' ', command)} -> exit {result.ExitCode}\n{result.StandardOutput}{result.StandardError}");
        return result;
    }

    private string HomeOf(TemporarySystemUser user) => Path.Combine(_homes.Path, user.Name);

    private (string? CaptureId, string? State) CaptureIdAndState()
    {
        var status = JsonDocument.Parse(As(null, "packetcapture", "status", "--json").StandardOutput).RootElement;
        return (status.GetProperty("captureId").GetString(), status.GetProperty("state").GetString());
    }

    /// <summary>A finished capture of the node, made by root: its file name.</summary>
    private string CaptureAsRoot()
    {
        Assert.Equal(0, As(null, "packetcapture", "start", "-i", "lo", "-f", "udp port 9", "--duration", "1s").ExitCode);
        var files = JsonDocument.Parse(As(null, "packetcapture", "files", "--json").StandardOutput).RootElement;
        return files.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Single();
    }

    [PrivilegedFact]
    public void A_user_outside_the_group_is_refused_every_command_naming_the_rule_and_is_audited_with_the_kernels_uid()
    {
        Privilege.Require();
        var file = CaptureAsRoot();
        var before = CaptureIdAndState();
        var outsider = _outsider!;
        var rule = $"local1: refused: uid {outsider.Uid} ({outsider.Name}) is not root and not in group {_group!.Name}";

        var status = As(outsider, "packetcapture", "status");
        var start = As(outsider, "packetcapture", "start", "-i", "lo", "--duration", "5s");
        var download = As(outsider, "packetcapture", "download", file, "-o", HomeOf(outsider));
        var mtu = As(outsider, "etherconfig", "mtu", "set", "lo", "1500", "--yes");
        var delete = As(outsider, "packetcapture", "delete", file);

        Assert.All([status, start, download, mtu, delete], r =>
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Contains(rule, r.StandardError, StringComparison.Ordinal);
        });
        Assert.Empty(Directory.GetFiles(HomeOf(outsider), "*.pcap*"));
        Assert.True(File.Exists(Path.Combine(_data.Path, "captures", file)), "the outsider's delete removed the capture file");
        Assert.Equal(before, CaptureIdAndState()); // root's finished capture is still the last one: nothing was started

        var refusals = Audit().Where(l => l.GetProperty("result").GetString() == "refused").ToList();
        Assert.Equal(5, refusals.Count(l => l.GetProperty("who").GetString() == $"{outsider.Name} (uid {outsider.Uid})"));
        Assert.All(refusals, l => Assert.Equal("session", l.GetProperty("what").GetString()));
        Assert.DoesNotContain(Audit(), l => l.GetProperty("who").GetString()!.Contains('@', StringComparison.Ordinal)); // never a claimed user@host
    }

    [PrivilegedFact]
    public void A_member_of_the_group_and_root_do_everything_and_the_audit_names_each_by_uid()
    {
        Privilege.Require();
        var member = _member!;

        Assert.Equal(0, As(member, "packetcapture", "start", "-i", "lo", "-f", "udp port 9", "--detach").ExitCode);
        Assert.Equal(0, As(member, "packetcapture", "stop").ExitCode);
        var file = JsonDocument.Parse(As(member, "packetcapture", "files", "--json").StandardOutput).RootElement
            .GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Single();
        Assert.Equal(0, As(member, "packetcapture", "download", file, "-o", HomeOf(member)).ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_data.Path, "captures", file)), File.ReadAllBytes(Path.Combine(HomeOf(member), file)));
        Assert.Equal(0, As(null, "packetcapture", "delete", file).ExitCode);

        var who = (string what) => Audit().Where(l => l.GetProperty("what").GetString() == what && l.GetProperty("result").GetString() == "ok")
            .Select(l => l.GetProperty("who").GetString()).ToList();
        Assert.Equal([$"{member.Name} (uid {member.Uid})"], who("packetcapture start"));
        Assert.Equal([$"{member.Name} (uid {member.Uid})"], who("packetcapture download"));
        Assert.Equal(["root (uid 0)"], who("packetcapture delete"));
        Assert.All(Audit(), l => Assert.True(l.GetProperty("authenticated").GetBoolean(), l.ToString()));
    }

    [PrivilegedFact]
    public async Task A_peer_claiming_a_root_consoles_akka_address_gets_no_request_through()
    {
        Privilege.Require();
        using var attached = new RunningCommand(Capturectl.Executable, ["--node", Node, "packetcapture", "start", "-i", "lo", "-f", "udp port 9", "--duration", "60s"]);
        var start = await WaitForAsync<JsonElement>(() => Audit().Where(l => l.GetProperty("what").GetString() == "packetcapture start").Select(l => (JsonElement?)l).FirstOrDefault());
        var victim = Address.Parse(start.GetProperty("from").GetString()!);

        using var impostor = new Impostor(victim);
        var guardian = await impostor.System.ActorSelection(AgentAddress.Path("127.0.0.1", _agent!.Port)).ResolveOne(Ask);
        var plain = await guardian.Ask<CommandFailed>(new StopCapture(), Ask);
        var serializer = new ProtocolSerializer((ExtendedActorSystem)impostor.System);
        var forged = await guardian.Ask<CommandFailed>(
            new AuthorizedRequest(new byte[32], serializer.Manifest(new StopCapture()), serializer.ToBinary(new StopCapture())), Ask);

        Assert.Equal(ErrorCode.Forbidden, plain.Code);
        Assert.Contains("packetcapture stop needs a proven identity: local1 runs without TLS and serves only consoles of its own host", plain.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.Forbidden, forged.Code);
        Assert.Contains("unknown session token", forged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Audit(), l => l.GetProperty("what").GetString() == "packetcapture stop" && l.GetProperty("result").GetString() == "ok");
        _output.WriteLine($"victim {victim}; attached capture after the impostor: exited {attached.HasExited}\n{attached.StandardOutput}{attached.StandardError}");
        Assert.Equal(0, As(null, "packetcapture", "stop").ExitCode);
    }

    /// <summary>Polls <paramref name="probe"/> until it finds something (60 s at most).</summary>
    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : struct
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                if (probe() is { } found)
                {
                    return found;
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // the audit log is being appended: read again
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>An actor system on a port of its own that tells the agent it is at <paramref name="claimed"/> (public-hostname/port).</summary>
    private sealed class Impostor : IDisposable
    {
        private readonly IHost _host;

        public Impostor(Address claimed)
        {
            _host = new HostBuilder()
                .ConfigureServices(services => services.AddAkka(claimed.System, akka => akka
                    .WithRemoting(new RemoteOptions { HostName = "127.0.0.1", Port = 0, PublicHostName = claimed.Host, PublicPort = claimed.Port })
                    .AddCaptureProtocolSerialization()))
                .Build();
            _host.StartAsync().GetAwaiter().GetResult();
            System = _host.Services.GetRequiredService<ActorSystem>();
        }

        public ActorSystem System { get; }

        public void Dispose()
        {
            _host.StopAsync().Wait(TimeSpan.FromSeconds(20));
            _host.Dispose();
        }
    }
}
