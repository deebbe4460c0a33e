using System.Globalization;
using System.Text;

namespace CaptureActors.Bench.Tools;

/// <summary>
/// <c>summarize DIR</c>: reads the tab-separated results bench/capture-perf.sh left in DIR (gen.tsv, runs.tsv,
/// writer.tsv, idle.tsv, machine.txt) and prints the Markdown section for docs/benchmarks.md: medians per tool and the
/// ratios agent/tcpdump.
/// </summary>
public static class Summarize
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        if (args is not [var dir])
        {
            Console.Error.WriteLine("usage: capture-bench summarize DIR");
            return 2;
        }

        var text = new StringBuilder();
        foreach (var line in ReadLines(Path.Combine(dir, "machine.txt")))
        {
            text.AppendLine(line);
        }

        Generator(text, Table(dir, "gen.tsv"));
        var runs = Table(dir, "runs.tsv");
        if (runs.Count > 0)
        {
            DropFree(text, runs);
            Flat(text, runs);
        }

        Writer(text, Table(dir, "writer.tsv"));
        Idle(text, Table(dir, "idle.tsv"));
        Console.Write(text.ToString());
        return 0;
    }

    private static void Generator(StringBuilder text, List<Row> gen)
    {
        if (gen.Count == 0)
        {
            return;
        }

        text.AppendLine()
            .AppendLine("**Generator alone** (no capture; the ceiling): medians of the unpaced runs.")
            .AppendLine()
            .AppendLine("| link | payload | runs | send rate (pps) | softnet drops |")
            .AppendLine("|---|---|---|---|---|");
        foreach (var g in gen.GroupBy(r => (r["iface"], r["payload"])))
        {
            text.AppendLine(Inv, $"| {g.Key.Item1} | {g.Key.Item2} B | {g.Count()} | {Median(g, "send_pps"):N0} | {Median(g, "softnet_drops"):N0} |");
        }
    }

    /// <summary>The drop-free rate: the highest step that this tool, in most repetitions, captured whole, every lower step too.</summary>
    private static void DropFree(StringBuilder text, List<Row> runs)
    {
        text.AppendLine()
            .AppendLine("**Drop-free capture rate** (send rate stepped up to the unpaced maximum; a step counts when most of its")
            .AppendLine("repetitions have every sent packet in the file; the rate is the median send rate of the highest such step,")
            .AppendLine("every lower step passing too; `≥` = the unpaced step passed, the tool kept up with the generator).")
            .AppendLine()
            .AppendLine("| link | payload | agent (pps) | tcpdump (pps) | dumpcap (pps) | agent/tcpdump |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var g in runs.GroupBy(r => (r["iface"], r["payload"])))
        {
            var rates = Tools.ToDictionary(tool => tool, tool => DropFreeRate(g.Where(r => r["tool"] == tool).ToList()));
            var ratio = rates["agent"].AtCeiling && rates["tcpdump"].AtCeiling
                ? "≥ 1 (both kept up with the generator)"
                : rates["agent"].Rate > 0 && rates["tcpdump"].Rate > 0 ? (rates["agent"].Rate / rates["tcpdump"].Rate).ToString("0.00", Inv) : "–";
            text.AppendLine(Inv, $"| {g.Key.Item1} | {g.Key.Item2} B | {Show(rates["agent"])} | {Show(rates["tcpdump"])} | {Show(rates["dumpcap"])} | {ratio} |");
        }

        static string Show((double Rate, bool AtCeiling, bool None) r) =>
            r.None ? "< lowest step" : (r.AtCeiling ? "≥ " : "") + r.Rate.ToString("N0", Inv);
    }

    private static (double Rate, bool AtCeiling, bool None) DropFreeRate(List<Row> runs)
    {
        var steps = runs.GroupBy(r => int.Parse(r["step"], Inv)).OrderBy(s => s.Key).ToList();
        double rate = 0;
        var passedAll = true;
        var any = false;
        foreach (var step in steps)
        {
            var whole = step.Count(r => r.Number("in_file") >= r.Number("sent"));
            if (whole * 2 <= step.Count())
            {
                passedAll = false;
                break;
            }

            any = true;
            rate = Median(step, "send_pps");
        }

        return (rate, passedAll && any, !any);
    }

    /// <summary>The unpaced step: every figure, medians per tool, and ratios to tcpdump.</summary>
    private static void Flat(StringBuilder text, List<Row> runs)
    {
        var top = runs.Max(r => int.Parse(r["step"], Inv));
        text.AppendLine()
            .AppendLine("**Unpaced flood** (the generator as fast as it goes, capture beside it on the same 2 cores): medians per tool.")
            .AppendLine("CPU = user + system seconds of the capturing process from just before the flood to 1.5 s after it")
            .AppendLine("(start-up = all its CPU before the flood: process and capture start and the settle time)")
            .AppendLine("(/proc/PID/stat), per million packets in the file; RSS = VmHWM. Agent allocation = bytes the capture")
            .AppendLine("thread allocated over the whole capture (GC.GetAllocatedBytesForCurrentThread) and the process's gen0/1/2")
            .AppendLine("collections during it, from the agent's log at stop. Thread = the agent's capture thread alone (its")
            .AppendLine("/proc/PID/task/TID/stat): the hot path without the actor system, remoting and runtime around it.")
            .AppendLine()
            .AppendLine("| link | payload | tool | runs | sent | in file | kernel drops | CPU s/Mpkt | CPU ratio | thread CPU s/Mpkt | start-up CPU s | peak RSS MB | agent allocation |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var g in runs.Where(r => int.Parse(r["step"], Inv) == top).GroupBy(r => (r["iface"], r["payload"])))
        {
            var tcpdumpCpu = CpuPerMillion(g.Where(r => r["tool"] == "tcpdump"));
            foreach (var tool in Tools)
            {
                var t = g.Where(r => r["tool"] == tool).ToList();
                if (t.Count == 0)
                {
                    continue;
                }

                var cpu = CpuPerMillion(t);
                var alloc = tool == "agent" && t[0]["alloc_bytes"] != "-"
                    ? string.Create(Inv, $"{Median(t, "alloc_bytes"):N0} B, GCs {Median(t, "gc0"):0}/{Median(t, "gc1"):0}/{Median(t, "gc2"):0}")
                    : "";
                text.AppendLine(Inv, $"| {g.Key.Item1} | {g.Key.Item2} B | {tool} | {t.Count} | {Median(t, "sent"):N0} | {Median(t, "in_file"):N0} | {Median(t, "kdrops"):N0} | {cpu:0.00} | {cpu / tcpdumpCpu:0.00} | {ThreadCpu(t)} | {Median(t, "startup_cpu_s"):0.00} | {Median(t, "rss_kb") / 1024:0} | {alloc} |");
            }
        }

        text.AppendLine()
            .AppendLine("**CPU per captured packet at a rate every tool keeps up with** (the highest step where each tool's median")
            .AppendLine("run kept every packet; medians; ratio to tcpdump).")
            .AppendLine()
            .AppendLine("| link | payload | step rate (pps) | agent CPU s/Mpkt | tcpdump | dumpcap | agent/tcpdump | agent capture thread | thread/tcpdump |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var g in runs.GroupBy(r => (r["iface"], r["payload"])))
        {
            var common = g.GroupBy(r => int.Parse(r["step"], Inv))
                .Where(s => Tools.All(tool => s.Any(r => r["tool"] == tool)
                    && Median(s.Where(r => r["tool"] == tool), "in_file") >= Median(s.Where(r => r["tool"] == tool), "sent")))
                .OrderBy(s => s.Key)
                .LastOrDefault();
            if (common is null)
            {
                text.AppendLine(Inv, $"| {g.Key.Item1} | {g.Key.Item2} B | no common drop-free step | | | | | | |");
                continue;
            }

            var cpu = Tools.ToDictionary(tool => tool, tool => CpuPerMillion(common.Where(r => r["tool"] == tool)));
            var thread = CpuPerMillion(common.Where(r => r["tool"] == "agent"), "thread_cpu_s");
            text.AppendLine(Inv, $"| {g.Key.Item1} | {g.Key.Item2} B | {Median(common, "send_pps"):N0} | {cpu["agent"]:0.00} | {cpu["tcpdump"]:0.00} | {cpu["dumpcap"]:0.00} | {cpu["agent"] / cpu["tcpdump"]:0.00} | {thread:0.00} | {thread / cpu["tcpdump"]:0.00} |");
        }
    }

    private static void Writer(StringBuilder text, List<Row> writer)
    {
        if (writer.Count == 0)
        {
            return;
        }

        text.AppendLine()
            .AppendLine("**Writer alone**: a 1M-packet pcap replayed into the agent's `PcapFileWriter` (`capture-bench replay`, SHA-256")
            .AppendLine("included) vs `tcpdump -r IN -w OUT`; medians; CPU = user + system (/usr/bin/time).")
            .AppendLine()
            .AppendLine("| frame | tool | runs | wall s | CPU s | Mpkt/s (CPU) | peak RSS MB | CPU ratio |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var g in writer.GroupBy(r => r["frame"]))
        {
            var baseCpu = Median(g.Where(r => r["tool"] == "tcpdump"), "cpu_s");
            foreach (var t in g.GroupBy(r => r["tool"]))
            {
                var cpu = Median(t, "cpu_s");
                text.AppendLine(Inv, $"| {g.Key} B | {t.Key} | {t.Count()} | {Median(t, "wall_s"):0.000} | {cpu:0.000} | {Median(t, "packets") / cpu / 1e6:0.00} | {Median(t, "rss_kb") / 1024:0} | {cpu / baseCpu:0.00} |");
            }
        }
    }

    private static void Idle(StringBuilder text, List<Row> idle)
    {
        if (idle.Count == 0)
        {
            return;
        }

        text.AppendLine()
            .AppendLine("**Idle agent** (`capture-agent` process, /proc/PID/stat and VmRSS over the window).")
            .AppendLine()
            .AppendLine("| state | seconds | CPU s | CPU % | RSS MB |")
            .AppendLine("|---|---|---|---|---|");
        foreach (var r in idle)
        {
            text.AppendLine(Inv, $"| {r["state"]} | {r.Number("seconds"):0} | {r.Number("cpu_s"):0.00} | {100 * r.Number("cpu_s") / r.Number("seconds"):0.00} | {r.Number("rss_kb") / 1024:0} |");
        }
    }

    private static readonly string[] Tools = ["agent", "tcpdump", "dumpcap"];

    private static double CpuPerMillion(IEnumerable<Row> runs, string column = "cpu_s") =>
        Median(runs.Select(r => r.Number("in_file") > 0 ? r.Number(column) / r.Number("in_file") * 1e6 : double.NaN));

    private static string ThreadCpu(List<Row> runs) =>
        runs.Any(r => !double.IsNaN(r.Number("thread_cpu_s"))) ? CpuPerMillion(runs, "thread_cpu_s").ToString("0.00", Inv) : "";

    private static double Median(IEnumerable<Row> rows, string column) => Median(rows.Select(r => r.Number(column)));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];

    private static List<Row> Table(string dir, string name)
    {
        var lines = ReadLines(Path.Combine(dir, name)).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2)
        {
            return [];
        }

        var columns = lines[0].Split('\t');
        return lines.Skip(1).Select(l => new Row(columns, l.Split('\t'))).ToList();
    }

    private sealed class Row(string[] columns, string[] values)
    {
        public string this[string column] => Array.IndexOf(columns, column) is var i and >= 0 && i < values.Length ? values[i] : "-";

        public double Number(string column) =>
            double.TryParse(this[column], NumberStyles.Float, Inv, out var v) ? v : double.NaN;
    }
}
