using CaptureActors.Protocol;

namespace CaptureActors.Agent.Storage;

/// <summary>
/// <c>active-capture.json</c> in the data directory: the running capture's last status, rewritten with every counter
/// update, so that other processes sharing the directory can show it and stop it. Trusted only while the
/// <see cref="NodeLock"/> is held.
/// </summary>
/// <param name="ProcessId">The process running the capture (it stops the capture on SIGTERM).</param>
/// <param name="FilePrefixes">Name prefixes of the files being written (<see cref="CaptureFileNames.FilePrefix"/>).</param>
public sealed record ActiveCaptureRecord(int ProcessId, string SidecarName, CaptureStatus Status, IReadOnlyList<string> FilePrefixes)
{
    public const string FileName = "active-capture.json";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public void Write(string dataDirectory) => AgentJson.WriteAtomically(PathIn(dataDirectory), this);

    public static ActiveCaptureRecord? Read(string dataDirectory) => AgentJson.TryRead<ActiveCaptureRecord>(PathIn(dataDirectory));

    /// <summary>The record of a capture running in another process, or null when none runs (a stale file is ignored).</summary>
    public static ActiveCaptureRecord? ReadLive(string dataDirectory) =>
        NodeLock.IsHeldElsewhere(dataDirectory) ? Read(dataDirectory) : null;

    public static void Delete(string dataDirectory) => File.Delete(PathIn(dataDirectory));
}
