using CaptureActors.Protocol;

namespace CaptureActors.Probes.Netstat;

/// <summary><c>netstat routes</c>: the IPv4 main table and the IPv6 routes, as procfs lists them; a family the kernel lacks contributes nothing.</summary>
public static class NetstatRoutesProbe
{
    public static async Task<IProbeResult> RunAsync(ProbeEnvironment environment, ListNetstatRoutes command, ProbeContext context)
    {
        var routes = new List<RouteEntry>();
        routes.AddRange(RouteTableParser.ParseIPv4(await ReadAsync(environment, "route", context.CancellationToken).ConfigureAwait(false)));
        routes.AddRange(RouteTableParser.ParseIPv6(await ReadAsync(environment, "ipv6_route", context.CancellationToken).ConfigureAwait(false)));
        return new NetstatRoutesReport(command.ProbeId, routes);
    }

    private static async Task<string> ReadAsync(ProbeEnvironment environment, string file, CancellationToken cancellationToken)
    {
        var path = Path.Combine(environment.ProcRoot, "net", file);
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeException(ErrorCode.IoError, $"cannot read the routing table {path}: {e.Message}", e);
        }
    }
}
