using System.Runtime.InteropServices;

namespace CaptureActors.Agent.Storage;

/// <summary>Asks another process on this machine to stop gracefully (SIGTERM), as for a capture running there.</summary>
public static partial class ProcessSignals
{
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends SIGTERM; false when the process does not exist or may not be signalled.</summary>
    public static bool Terminate(int processId) => processId > 0 && Kill(processId, SigTerm) == 0;
}
