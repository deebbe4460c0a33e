using System.Globalization;
using System.Text;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Rendering;

/// <summary>
/// <c>traceroute</c>'s lines: <c> 1  router.lab (198.18.0.2)  0.123 ms  0.101 ms  0.099 ms</c>, or with <c>-n</c>
/// <c> 1  198.18.0.2  0.123 ms …</c>.
/// </summary>
public static class TracerouteRenderer
{
    /// <summary><c>traceroute to host (addr), 30 hops max, 60 byte packets</c>.</summary>
    public static string Started(TracerouteStarted started, bool ipv6) =>
        string.Create(CultureInfo.InvariantCulture, $"{(ipv6 ? "traceroute6" : "traceroute")} to {started.Host} ({started.Address}), {started.MaxHops} hops max, {started.PacketBytes} byte packets");

    /// <summary>
    /// One hop: its number, then each probe's time, the answering address written before the first time it
    /// answered (again when it changes), <c>*</c> for silence and traceroute's flag (<c>!H</c> …) after the time.
    /// </summary>
    public static string Hop(TracerouteHop hop)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{hop.Hop,2}");
        string? last = null;
        foreach (var answer in hop.Answers)
        {
            if (answer.RoundTripMs is not { } ms)
            {
                line.Append(answer.Flag.Length > 0 ? $"  {answer.Flag}" : "  *");
                continue;
            }

            if (answer.From != last)
            {
                line.Append(answer.Name.Length > 0 ? $"  {answer.Name} ({answer.From})" : $"  {answer.From}");
                last = answer.From;
            }

            line.Append(CultureInfo.InvariantCulture, $"  {ms:0.000} ms");
            if (answer.Flag.Length > 0)
            {
                line.Append(' ').Append(answer.Flag);
            }
        }

        return line.ToString();
    }

    /// <summary>The whole trace (after the start line): one line per hop, and a note when it stopped early.</summary>
    public static IEnumerable<string> Hops(TracerouteReport report)
    {
        foreach (var hop in report.Hops)
        {
            yield return Hop(hop);
        }

        if (report.Interrupted)
        {
            yield return "(interrupted)";
        }
    }
}
