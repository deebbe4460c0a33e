using System.Runtime.InteropServices;

namespace CaptureActors.TestSupport;

/// <summary>
/// Whether privileged tests (real libpcap, namespaces, mounts) can run here.
/// Not root: they are skipped, unless CAPTURE_REQUIRE_PRIVILEGED=1 (CI), where they run and fail in <see cref="Require"/>.
/// </summary>
public static partial class Privilege
{
    public const string RequireVariable = "CAPTURE_REQUIRE_PRIVILEGED";

    public static bool IsRoot => GetEffectiveUserId() == 0;

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Null when privileged tests should run; otherwise the skip reason.</summary>
    public static string? SkipReason =>
        IsRoot || Required ? null : $"needs root (set {RequireVariable}=1 to fail instead of skipping)";

    /// <summary>Call first in every privileged test: throws unless the process is root.</summary>
    public static void Require()
    {
        if (!IsRoot)
        {
            throw new InvalidOperationException($"this test needs root ({RequireVariable}=1 is set, so it fails instead of being skipped)");
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
