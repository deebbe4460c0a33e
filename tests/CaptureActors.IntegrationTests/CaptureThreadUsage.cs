using System.Globalization;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// CPU time and voluntary context switches (each a wake-up from poll) of a process's capture threads (named
/// <c>capture IFACE</c>), from /proc/PID/task: evidence that a waiting capture sleeps instead of spinning.
/// </summary>
public readonly record struct CaptureThreadUsage(double CpuSeconds, long VoluntarySwitches, int Threads)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static CaptureThreadUsage Read(int processId)
    {
        double cpu = 0;
        long switches = 0;
        int threads = 0;
        foreach (var task in Directory.GetDirectories($"/proc/{processId}/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith("capture ", StringComparison.Ordinal))
                {
                    continue;
                }

                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                cpu += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
                var line = File.ReadLines(Path.Combine(task, "status")).First(l => l.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal));
                switches += long.Parse(line.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
                threads++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended while read.
            }
        }

        if (threads == 0)
        {
            throw new InvalidOperationException($"process {processId} has no capture thread");
        }

        return new CaptureThreadUsage(cpu, switches, threads);
    }
}
