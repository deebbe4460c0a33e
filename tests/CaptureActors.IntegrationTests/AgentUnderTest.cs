using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// One real capture-agent process shared by a test class (xUnit class fixture): a client that checks it still answers,
/// its log (stderr) to look for what it dropped, and a fingerprint of its data directory to prove no file changed.
/// </summary>
public sealed class AgentUnderTest : IDisposable
{
    public const string Node = "bad-input";

    /// <summary>The agent's audit log in its data directory (capture-agent.audit.path empty).</summary>
    public const string AuditLogName = "audit.log";
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _root = new("ca-wire-");
    private readonly Lazy<RemoteAgentClient> _client = new(() => new RemoteAgentClient());
    private IActorRef? _agent;

    public AgentUnderTest()
    {
        DataDirectory = Path.Combine(_root.Path, "data");
        Process = CaptureAgentProcess.Start(DataDirectory, Node);
    }

    public CaptureAgentProcess Process { get; }

    public string DataDirectory { get; }

    /// <summary>A directory outside the agent's data directory, for downloads and other scratch files.</summary>
    public string Scratch => Directory.CreateDirectory(Path.Combine(_root.Path, "scratch")).FullName;

    public int Port => Process.Port;

    /// <summary>The <c>--node NAME=127.0.0.1:PORT</c> that points capturectl at this agent.</summary>
    public string[] NodeArguments => ["--node", $"{Node}=127.0.0.1:{Port}"];

    public ProcessResult Ctl(params string[] arguments) =>
        ProcessRunner.Run(Capturectl.Executable, [.. arguments, .. NodeArguments], TimeSpan.FromSeconds(60));

    /// <summary>The agent's identity, asked over Akka.Remote by a well-behaved client: proof that it still serves.</summary>
    public AgentIdentity Identify() => Ask<AgentIdentity>(IdentifyAgent.Instance);

    public CaptureStatus Status() => Ask<CaptureStatus>(GetCaptureStatus.Instance);

    public T Ask<T>(object message)
    {
        _agent ??= _client.Value.ResolveAgentAsync("127.0.0.1", Port, Bound).GetAwaiter().GetResult();
        return _agent.Ask<T>(message, Bound).GetAwaiter().GetResult();
    }

    /// <summary>Asks the agent's guardian itself, without a session (the message is not wrapped): what the agent does with it before any session check.</summary>
    public T AskGuardian<T>(object message)
    {
        var guardian = _client.Value.ResolveGuardianAsync("127.0.0.1", Port, Bound).GetAwaiter().GetResult();
        return guardian.Ask<T>(message, Bound).GetAwaiter().GetResult();
    }

    /// <summary>How often <paramref name="text"/> occurs in the agent's log so far.</summary>
    public int LogCount(string text) => Occurrences(Process.StandardError, text);

    /// <summary>Waits (bounded) until the agent's log holds <paramref name="text"/> more than <paramref name="before"/> times.</summary>
    public void WaitForLog(string text, int before)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Bound)
        {
            if (LogCount(text) > before)
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"the agent did not log '{text}' within {Bound}; its log:\n{Process.StandardError}");
    }

    /// <summary>
    /// Every file under the data directory with its SHA-256, size and modification time — except the audit log, which
    /// is meant to grow with every refusal (docs/authorization.md).
    /// </summary>
    public IReadOnlyDictionary<string, string> Fingerprint()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(DataDirectory))
        {
            return result;
        }

        foreach (var file in Directory.EnumerateFileSystemEntries(DataDirectory, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            var relative = Path.GetRelativePath(DataDirectory, file);
            if (relative == AuditLogName)
            {
                continue;
            }

            // A planted symbolic link is recorded by its target, never followed.
            result[relative] = info.LinkTarget is { } target ? $"link {target}"
                : info.Attributes.HasFlag(FileAttributes.Directory) ? "dir"
                : relative == LockFileName ? $"lock {info.Length} {info.LastWriteTimeUtc:O}"
                : $"{Convert.ToHexString(HashShared(file))} {info.Length} {info.LastWriteTimeUtc:O}";
        }

        return result;
    }

    /// <summary>
    /// The capture lock is empty and held with flock(LOCK_EX) while a capture runs or ends. .NET takes flock(LOCK_SH) on
    /// every open it makes, whatever the FileShare, so reading it then fails with "used by another process"; the
    /// fingerprint records its presence, size and time instead of its hash.
    /// </summary>
    private const string LockFileName = "capture.lock";

    /// <summary>SHA-256 of a file the agent may have open for writing.</summary>
    private static byte[] HashShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return SHA256.HashData(stream);
    }

    public static string Describe(IReadOnlyDictionary<string, string> fingerprint)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in fingerprint)
        {
            text.Append(name).Append(' ').AppendLine(value);
        }

        return text.ToString();
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }

        Process.Dispose();
        _root.Dispose();
    }

    private static int Occurrences(string haystack, string needle)
    {
        var count = 0;
        for (var at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
