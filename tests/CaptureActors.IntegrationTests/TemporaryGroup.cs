using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>A system group named <c>ca-g-xxxxxx</c> (as the capture-actors group of the systemd unit), deleted on dispose. Needs root.</summary>
public sealed class TemporaryGroup : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    public TemporaryGroup()
    {
        Name = $"ca-g-{Random.Shared.Next(0x1000000):x6}";
        ProcessResult result = ProcessRunner.Run("groupadd", ["--system", Name], CommandTimeout);
        for (int attempt = 1; result.ExitCode != 0 && attempt < 5; attempt++)
        {
            Thread.Sleep(200 * attempt); // groupadd locks /etc/group; a concurrent one elsewhere fails it for a moment
            result = ProcessRunner.Run("groupadd", ["--system", Name], CommandTimeout);
        }

        result.EnsureSuccess($"groupadd {Name}");
    }

    public string Name { get; }

    public void Dispose()
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            ProcessResult result = ProcessRunner.Run("groupdel", [Name], CommandTimeout);
            if (result.ExitCode is 0 or 6) // 6: no such group
            {
                return;
            }

            Thread.Sleep(200 * (attempt + 1));
        }
    }
}
