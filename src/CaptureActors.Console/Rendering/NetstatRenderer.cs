using System.Globalization;
using CaptureActors.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CaptureActors.Console.Rendering;

/// <summary>The five <c>netstat</c> views as tables, with net-tools' and BSD netstat's column names.</summary>
public static class NetstatRenderer
{
    /// <summary><c>netstat -tuan</c>: Proto, Recv-Q, Send-Q, Local Address, Foreign Address, State.</summary>
    public static Table Sockets(NetstatSocketsReport report)
    {
        var table = new Table().AddColumns("Proto", "Recv-Q", "Send-Q", "Local Address", "Foreign Address", "State");
        RightAlign(table, 1, 2);
        foreach (var socket in report.Sockets)
        {
            table.AddRow(
                socket.Protocol,
                N(socket.ReceiveQueue),
                N(socket.SendQueue),
                Markup.Escape(TcpServicesRenderer.EndPointText(socket.LocalAddress, socket.LocalPort)),
                Markup.Escape(socket.ForeignPort == 0 && socket.ForeignAddress == "*" ? "*:*" : TcpServicesRenderer.EndPointText(socket.ForeignAddress, socket.ForeignPort)),
                socket.State);
        }

        return table;
    }

    /// <summary>
    /// BSD's <c>netstat -i</c>: one row for the link (Network <c>&lt;Link&gt;</c>, Address its hardware address), then one
    /// row per address, each with the interface's counters. The drop counters (Idrop: received, Drop: sent) only with
    /// <paramref name="drops"/>, as the appliance shows them only when asked (BSD <c>netstat -i -d</c>).
    /// </summary>
    public static Table Interfaces(NetstatInterfacesReport report, bool drops = false)
    {
        var table = drops
            ? new Table().AddColumns("Name", "Mtu", "Network", "Address", "Ipkts", "Ierrs", "Idrop", "Ibytes", "Opkts", "Oerrs", "Obytes", "Coll", "Drop")
            : new Table().AddColumns("Name", "Mtu", "Network", "Address", "Ipkts", "Ierrs", "Ibytes", "Opkts", "Oerrs", "Obytes", "Coll");
        RightAlign(table, drops ? [1, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [1, 4, 5, 6, 7, 8, 9, 10]);
        foreach (var nic in report.Interfaces)
        {
            var rows = new List<(string Network, string Address)> { ("<Link>", nic.LinkAddress) };
            rows.AddRange(nic.Addresses.Select(a => (a.Network, a.Address)));
            foreach (var (network, address) in rows)
            {
                var cells = new List<string> { Markup.Escape(nic.Name), N(nic.Mtu), Markup.Escape(network), Markup.Escape(address), N(nic.ReceivePackets), N(nic.ReceiveErrors) };
                if (drops)
                {
                    cells.Add(N(nic.ReceiveDrops));
                }

                cells.AddRange([N(nic.ReceiveBytes), N(nic.TransmitPackets), N(nic.TransmitErrors), N(nic.TransmitBytes), N(nic.Collisions)]);
                if (drops)
                {
                    cells.Add(N(nic.TransmitDrops));
                }

                table.AddRow([.. cells]);
            }
        }

        return table;
    }

    /// <summary><c>netstat -rn</c> for each family: Destination, Gateway, Flags, Metric, Iface.</summary>
    public static IEnumerable<IRenderable> Routes(NetstatRoutesReport report)
    {
        foreach (var family in new[] { "IPv4", "IPv6" })
        {
            var routes = report.Routes.Where(r => r.Family == family).ToList();
            var table = new Table().Title($"{family} routing table").AddColumns("Destination", "Gateway", "Flags", "Metric", "Iface");
            RightAlign(table, 3);
            foreach (var route in routes)
            {
                table.AddRow(Markup.Escape(route.Destination), Markup.Escape(route.Gateway), Markup.Escape(route.Flags), N(route.Metric), Markup.Escape(route.Interface));
            }

            yield return table;
        }
    }

    /// <summary>FreeBSD's <c>netstat -L</c>: Proto, Listen (address:port), qlen/incqlen/maxqlen as separate columns.</summary>
    public static Table Listen(NetstatListenReport report)
    {
        var table = new Table().AddColumns("Proto", "Local Address", "Qlen", "IncQlen", "MaxQlen", "Inode");
        RightAlign(table, 2, 3, 4, 5);
        foreach (var listener in report.Listeners)
        {
            table.AddRow(
                listener.Family == "IPv6" ? "tcp6" : "tcp",
                Markup.Escape(TcpServicesRenderer.EndPointText(listener.LocalAddress, listener.LocalPort)),
                N(listener.QueueLength),
                N(listener.IncompleteQueueLength),
                N(listener.MaxQueueLength),
                N(listener.Inode));
        }

        return table;
    }

    /// <summary>One sample of <c>netstat traffic</c>: a heading with its number and interval, then the counts of that interval.</summary>
    public static IEnumerable<IRenderable> TrafficSample(string? node, TrafficSample sample)
    {
        var who = node is null ? "" : $"{node}: ";
        yield return new Text(string.Create(
            CultureInfo.InvariantCulture,
            $"{who}sample {sample.Sequence} at {sample.At.ToLocalTime():HH:mm:ss.fff}, over {sample.Elapsed.TotalSeconds:0.000} s{Environment.NewLine}"));
        yield return Traffic(sample.Interfaces);
    }

    /// <summary>The totals of a run, with the average bytes per second over the time measured.</summary>
    public static IEnumerable<IRenderable> TrafficSummary(NetstatTrafficReport report)
    {
        var seconds = report.Elapsed.TotalSeconds;
        yield return new Text(string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Samples} sample(s) of {DurationText.Format(report.Interval)} over {seconds:0.000} s, ended by {report.Ended}; totals:{Environment.NewLine}"));
        yield return Traffic(report.Interfaces, seconds);
    }

    /// <summary>Counts per interface; with <paramref name="seconds"/>, also the average bytes per second in and out.</summary>
    private static Table Traffic(IReadOnlyList<InterfaceTraffic> interfaces, double? seconds = null)
    {
        var table = new Table().AddColumns("Name", "Ipkts", "Ierrs", "Idrop", "Ibytes", "Opkts", "Oerrs", "Odrop", "Obytes", "Coll");
        if (seconds is not null)
        {
            table.AddColumns("In B/s", "Out B/s");
        }

        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var nic in interfaces)
        {
            List<string> cells =
            [
                Markup.Escape(nic.Name),
                N(nic.InPackets),
                N(nic.InErrors),
                N(nic.InDrops),
                N(nic.InBytes),
                N(nic.OutPackets),
                N(nic.OutErrors),
                N(nic.OutDrops),
                N(nic.OutBytes),
                N(nic.Collisions),
            ];
            if (seconds is { } s)
            {
                cells.Add(Rate(nic.InBytes, s));
                cells.Add(Rate(nic.OutBytes, s));
            }

            table.AddRow(cells.ToArray());
        }

        return table;
    }

    private static string Rate(long bytes, double seconds) =>
        seconds > 0 ? (bytes / seconds).ToString("0", CultureInfo.InvariantCulture) : "-";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void RightAlign(Table table, params int[] columns)
    {
        foreach (var column in columns)
        {
            table.Columns[column].RightAligned();
        }
    }
}
