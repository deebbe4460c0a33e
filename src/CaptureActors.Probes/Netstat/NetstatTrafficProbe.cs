using System.Diagnostics;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Netstat;

/// <summary>
/// <c>netstat traffic</c>: reads <c>/proc/net/dev</c> every interval and emits each interface's counter differences as
/// a <see cref="TrafficSample"/>, like BSD's <c>netstat -w</c>. Ends after the requested count, on cancel (with what it
/// measured) or at <see cref="NetstatTrafficLimits.MaxRun"/>, always with the totals.
/// </summary>
public static class NetstatTrafficProbe
{
    /// <summary>The agent's ceiling: the run's own limit plus time to send the summary.</summary>
    public static TimeSpan Ceiling(WatchNetstatTraffic command) => NetstatTrafficLimits.MaxRun + TimeSpan.FromMinutes(1);

    public static async Task<IProbeResult> RunAsync(ProbeEnvironment environment, WatchNetstatTraffic command, ProbeContext context)
    {
        if (NetstatTrafficLimits.Check(command.Interval, command.Count) is { } problem)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, problem);
        }

        var token = context.CancellationToken;
        var clock = Stopwatch.StartNew();
        var previous = ToMap(await NetstatInterfacesProbe.ReadCountersAsync(environment, token).ConfigureAwait(false));
        var previousAt = clock.Elapsed;
        var totals = new Dictionary<string, InterfaceTraffic>(StringComparer.Ordinal);
        var samples = 0;
        var ended = "count";
        using var timer = new PeriodicTimer(command.Interval);
        while (command.Count is null || samples < command.Count)
        {
            if (clock.Elapsed + command.Interval > NetstatTrafficLimits.MaxRun)
            {
                ended = "time-limit";
                break;
            }

            try
            {
                await timer.WaitForNextTickAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ended = "cancelled";
                break;
            }

            var now = ToMap(await NetstatInterfacesProbe.ReadCountersAsync(environment, CancellationToken.None).ConfigureAwait(false));
            var at = clock.Elapsed;
            var rows = Differences(previous, now);
            samples++;
            foreach (var row in rows)
            {
                totals[row.Name] = totals.TryGetValue(row.Name, out var sum) ? Add(sum, row) : row;
            }

            context.Emit(new TrafficSample(command.ProbeId, samples, DateTimeOffset.UtcNow, at - previousAt, rows));
            previous = now;
            previousAt = at;
        }

        return new NetstatTrafficReport(
            command.ProbeId,
            samples,
            command.Interval,
            previousAt,
            ended,
            totals.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// Each interface's change from <paramref name="before"/> to <paramref name="after"/>, by name. An interface new in
    /// <paramref name="after"/> has no baseline yet and is left out; a counter that went down (interface recreated) counts from zero.
    /// </summary>
    public static IReadOnlyList<InterfaceTraffic> Differences(IReadOnlyDictionary<string, DeviceCounters> before, IReadOnlyDictionary<string, DeviceCounters> after) =>
        after.Values
            .Where(a => before.ContainsKey(a.Name))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a =>
            {
                var b = before[a.Name];
                return new InterfaceTraffic(
                    a.Name,
                    Delta(b.ReceivePackets, a.ReceivePackets),
                    Delta(b.ReceiveErrors, a.ReceiveErrors),
                    Delta(b.ReceiveDrops, a.ReceiveDrops),
                    Delta(b.ReceiveBytes, a.ReceiveBytes),
                    Delta(b.TransmitPackets, a.TransmitPackets),
                    Delta(b.TransmitErrors, a.TransmitErrors),
                    Delta(b.TransmitDrops, a.TransmitDrops),
                    Delta(b.TransmitBytes, a.TransmitBytes),
                    Delta(b.Collisions, a.Collisions));
            })
            .ToList();

    public static Dictionary<string, DeviceCounters> ToMap(IEnumerable<DeviceCounters> counters)
    {
        var map = new Dictionary<string, DeviceCounters>(StringComparer.Ordinal);
        foreach (var counter in counters)
        {
            map[counter.Name] = counter;
        }

        return map;
    }

    private static long Delta(long before, long after) => after >= before ? after - before : after;

    private static InterfaceTraffic Add(InterfaceTraffic a, InterfaceTraffic b) => new(
        a.Name,
        a.InPackets + b.InPackets,
        a.InErrors + b.InErrors,
        a.InDrops + b.InDrops,
        a.InBytes + b.InBytes,
        a.OutPackets + b.OutPackets,
        a.OutErrors + b.OutErrors,
        a.OutDrops + b.OutDrops,
        a.OutBytes + b.OutBytes,
        a.Collisions + b.Collisions);
}
