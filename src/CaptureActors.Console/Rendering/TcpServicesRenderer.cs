using System.Globalization;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Rendering;

/// <summary><c>tcpservices</c> as the appliance lists it: COMMAND, PID, USER, TYPE, PROTO, NODE (local address:port).</summary>
public static class TcpServicesRenderer
{
    public static Table Render(TcpServicesReport report)
    {
        var table = new Table().AddColumns("COMMAND", "PID", "USER", "TYPE", "PROTO", "NODE");
        foreach (var service in report.Services)
        {
            table.AddRow(
                Markup.Escape(service.Command),
                service.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(service.User),
                service.Type,
                service.Protocol.ToUpperInvariant(),
                Markup.Escape(EndPointText(service.LocalAddress, service.LocalPort)));
        }

        return table;
    }

    /// <summary><c>*:22</c>, <c>127.0.0.1:25</c>, <c>[::1]:25</c>.</summary>
    public static string EndPointText(string address, int port) =>
        address.Contains(':', StringComparison.Ordinal)
            ? $"[{address}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{address}:{port.ToString(CultureInfo.InvariantCulture)}";
}
