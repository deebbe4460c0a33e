using CaptureActors.Protocol;

namespace CaptureActors.Agent.Storage;

/// <summary>
/// <c>capture-intent.json</c> in the data directory: the durable intent of the node's DETACHED capture, "this capture
/// must run until it ends by itself or is stopped". Written (atomically, fsync'd, directory fsync'd) when a detached
/// capture starts and each time it resumes; deleted when it ends for any reason but <c>agent-shutdown</c>. An agent
/// that starts and finds it resumes the capture (<see cref="CaptureResumePlan"/>). One file, because a node runs one
/// capture and one process writes it, under the <see cref="NodeLock"/>.
/// </summary>
/// <param name="SidecarName">The capture's sidecar in the capture directory: its files, counters and state.</param>
/// <param name="StartedAt">When the capture first started (its file names and sidecar name use this instant).</param>
/// <param name="RunStartedAt">When the current run (first start or latest resume) began.</param>
/// <param name="ActiveBefore">Time the capture ran in earlier runs: the duration limit counts it.</param>
/// <param name="Restarts">Agent restarts the capture has resumed from so far.</param>
/// <param name="Gaps">Stretches in which the agent was not running, oldest first (reason <c>agent-restart</c>).</param>
public sealed record CaptureIntent(
    int FormatVersion,
    string CaptureId,
    string Node,
    CaptureOwner Owner,
    CaptureSettings Settings,
    string SidecarName,
    DateTimeOffset StartedAt,
    DateTimeOffset RunStartedAt,
    TimeSpan ActiveBefore,
    int Restarts,
    IReadOnlyList<CaptureGap> Gaps)
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "capture-intent.json";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <exception cref="IOException">The intent could not be stored.</exception>
    public void Write(string dataDirectory) => AgentJson.WriteAtomically(PathIn(dataDirectory), this);

    /// <summary>The stored intent, or null when there is none (or it cannot be read: a half-written file is never trusted).</summary>
    public static CaptureIntent? Read(string dataDirectory) => AgentJson.TryRead<CaptureIntent>(PathIn(dataDirectory));

    public static void Delete(string dataDirectory)
    {
        File.Delete(PathIn(dataDirectory));
        DirectorySync.Flush(dataDirectory);
    }
}
