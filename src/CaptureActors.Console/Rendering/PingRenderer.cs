using System.Globalization;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Rendering;

/// <summary><c>ping</c>'s lines as iputils and the appliance print them, and a side-by-side table for many nodes.</summary>
public static class PingRenderer
{
    /// <summary><c>PING host (addr): 56 data bytes</c>.</summary>
    public static string Started(PingStarted started) =>
        string.Create(CultureInfo.InvariantCulture, $"PING {started.Host} ({started.Address}): {started.PayloadSize} data bytes");

    /// <summary>
    /// <c>64 bytes from 198.18.0.2: icmp_seq=1 ttl=64 time=0.045 ms</c>, <c>Request timeout for icmp_seq 3</c>,
    /// <c>From 198.18.0.1 icmp_seq=2 Destination Host Unreachable</c>.
    /// </summary>
    public static string Response(PingResponse response) => response.Outcome switch
    {
        PingOutcome.Reply => string.Create(
            CultureInfo.InvariantCulture,
            $"{response.Bytes} bytes from {response.From}: icmp_seq={response.Sequence}{(response.Ttl is { } ttl ? $" ttl={ttl}" : "")} time={Milliseconds(response.RoundTripMs ?? 0)} ms"),
        PingOutcome.Timeout => string.Create(CultureInfo.InvariantCulture, $"Request timeout for icmp_seq {response.Sequence}"),
        _ when response.From.Length == 0 => string.Create(CultureInfo.InvariantCulture, $"icmp_seq={response.Sequence} {response.Detail}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"From {response.From} icmp_seq={response.Sequence} {response.Detail}"),
    };

    /// <summary>iputils' closing lines.</summary>
    public static IEnumerable<string> Summary(PingSummary summary)
    {
        yield return "";
        yield return $"--- {summary.Host} ping statistics ---";
        var errors = summary.Errors > 0 ? string.Create(CultureInfo.InvariantCulture, $" +{summary.Errors} errors,") : "";
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"{summary.Transmitted} packets transmitted, {summary.Received} received,{errors} {Loss(summary)} packet loss, time {(long)summary.Elapsed.TotalMilliseconds}ms");
        if (summary.RoundTrips is { } rtt)
        {
            yield return $"rtt min/avg/max/mdev = {RoundTrips(rtt)} ms";
        }
    }

    /// <summary>One row per node: what each sent and got back.</summary>
    public static Table Nodes(IEnumerable<(string Node, PingSummary? Summary, string? Error)> nodes)
    {
        var table = new Table().AddColumns("NODE", "ADDRESS", "TRANSMITTED", "RECEIVED", "LOSS", "MIN/AVG/MAX/MDEV (ms)", "ERROR");
        foreach (var (node, summary, error) in nodes)
        {
            table.AddRow(
                Markup.Escape(node),
                Markup.Escape(summary?.Address ?? "-"),
                summary?.Transmitted.ToString(CultureInfo.InvariantCulture) ?? "-",
                summary?.Received.ToString(CultureInfo.InvariantCulture) ?? "-",
                summary is null ? "-" : Loss(summary),
                summary?.RoundTrips is { } rtt ? RoundTrips(rtt) : "-",
                Markup.Escape(error ?? (summary is { Errors: > 0 } ? $"{summary.Errors} errors" : "")));
        }

        return table;
    }

    /// <summary><c>0%</c>, <c>20%</c>, <c>33.3333%</c> (as iputils' <c>%g</c>).</summary>
    public static string Loss(PingSummary summary) => string.Create(CultureInfo.InvariantCulture, $"{summary.LossPercent:0.####}%");

    /// <summary>As iputils: three decimals below 1 ms, fewer as the value grows (0.045, 1.23, 12.3, 123).</summary>
    public static string Milliseconds(double ms) => ms switch
    {
        < 1 => ms.ToString("0.000", CultureInfo.InvariantCulture),
        < 10 => ms.ToString("0.00", CultureInfo.InvariantCulture),
        < 100 => ms.ToString("0.0", CultureInfo.InvariantCulture),
        _ => ms.ToString("0", CultureInfo.InvariantCulture),
    };

    private static string RoundTrips(PingRoundTrips rtt) =>
        string.Create(CultureInfo.InvariantCulture, $"{rtt.MinMs:0.000}/{rtt.AvgMs:0.000}/{rtt.MaxMs:0.000}/{rtt.MdevMs:0.000}");
}
