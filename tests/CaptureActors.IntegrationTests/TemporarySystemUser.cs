using System.Globalization;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// A system user (no home, no login shell) with its own group, as the capture-agent service user is made
/// (deploy/systemd/README.md); named <c>ca-t-xxxxxx</c>, deleted with its group on dispose. Needs root.
/// </summary>
public sealed class TemporarySystemUser : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    /// <param name="supplementaryGroup">A further group the user is a member of (<c>useradd -G</c>), or null.</param>
    public TemporarySystemUser(string? supplementaryGroup = null)
    {
        Name = $"ca-t-{Random.Shared.Next(0x1000000):x6}";
        string[] arguments = ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
            .. supplementaryGroup is null ? Array.Empty<string>() : ["-G", supplementaryGroup], Name];
        // useradd locks /etc/passwd; a concurrent useradd elsewhere makes it fail for a moment: a few bounded tries.
        ProcessResult result = ProcessRunner.Run("useradd", arguments, CommandTimeout);
        for (int attempt = 1; result.ExitCode != 0 && attempt < 5; attempt++)
        {
            Thread.Sleep(200 * attempt);
            result = ProcessRunner.Run("useradd", arguments, CommandTimeout);
        }

        result.EnsureSuccess($"useradd {Name}");
        Uid = int.Parse(ProcessRunner.Run("id", ["-u", Name], CommandTimeout).EnsureSuccess("id -u").StandardOutput.Trim(), CultureInfo.InvariantCulture);
    }

    public string Name { get; }

    public int Uid { get; }

    /// <summary>
    /// Runs <paramref name="executable"/> as this user (setpriv: its uid, its group, its supplementary groups, as after a
    /// login) with HOME set to <paramref name="home"/>.
    /// </summary>
    public ProcessResult Run(string home, string executable, IEnumerable<string> arguments, TimeSpan timeout) =>
        ProcessRunner.Run("setpriv", [$"--reuid={Name}", $"--regid={Name}", "--init-groups", "--", "env", $"HOME={home}", executable, .. arguments], timeout);

    /// <summary>chown USER:USER and chmod MODE (octal text).</summary>
    public void Own(string path, string mode)
    {
        ProcessRunner.Run("chown", [$"{Name}:{Name}", path], CommandTimeout).EnsureSuccess("chown");
        ProcessRunner.Run("chmod", [mode, path], CommandTimeout).EnsureSuccess("chmod");
    }

    public void Dispose()
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            ProcessResult result = ProcessRunner.Run("userdel", [Name], CommandTimeout);
            if (result.ExitCode is 0 or 6) // 6: no such user
            {
                return;
            }

            Thread.Sleep(200 * (attempt + 1));
        }
    }
}
