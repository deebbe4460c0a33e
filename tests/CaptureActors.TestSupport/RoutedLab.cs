using System.Net;
using System.Security.Cryptography;

namespace CaptureActors.TestSupport;

/// <summary>
/// A routed path of the test's own: root namespace ↔ <see cref="Router"/> (a namespace forwarding IPv4 and IPv6) ↔
/// <see cref="Target"/> (a namespace). IPv4 addresses are two random /30s of 198.18.0.0/15, IPv6 two /64s of a
/// random ULA prefix (fd00::/8). The root namespace gets routes for the target's prefixes only, via the router;
/// the target's default route points at the router, the router needs none. ICMP error rate limits are off in the
/// router so traceroute answers are deterministic. Dispose removes the routes, the namespaces and the veths (also
/// after a failed test). Root only.
/// </summary>
public sealed class RoutedLab : IDisposable
{
    private readonly List<string[]> _rootRoutes = [];
    private bool _disposed;

    public RoutedLab()
    {
        Privilege.Require();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        Router = $"ca-t-{id}r";
        Target = $"ca-t-{id}t";
        HostInterface = $"car{id}0";
        RouterUplink = $"car{id}1";
        RouterDownlink = $"car{id}2";
        TargetInterface = $"car{id}3";

        // Two different random /30 blocks of 198.18.0.0/15 (32768 blocks).
        var first = RandomNumberGenerator.GetInt32(0, 1 << 15);
        var second = (first + 1 + RandomNumberGenerator.GetInt32(0, (1 << 15) - 1)) % (1 << 15);
        uint uplink = (198u << 24) | (18u << 16) | ((uint)first << 2);
        uint downlink = (198u << 24) | (18u << 16) | ((uint)second << 2);
        HostAddress = V4(uplink + 1);
        RouterUplinkAddress = V4(uplink + 2);
        RouterDownlinkAddress = V4(downlink + 1);
        TargetAddress = V4(downlink + 2);
        TargetPrefix4 = $"{V4(downlink)}/30";

        // A random ULA /48 (fd + 40 random bits), subnets 1 (uplink) and 2 (downlink).
        var global = RandomNumberGenerator.GetBytes(5);
        var ula = $"fd{global[0]:x2}:{global[1]:x2}{global[2]:x2}:{global[3]:x2}{global[4]:x2}";
        HostAddress6 = IPAddress.Parse($"{ula}:1::1");
        RouterUplinkAddress6 = IPAddress.Parse($"{ula}:1::2");
        RouterDownlinkAddress6 = IPAddress.Parse($"{ula}:2::1");
        TargetAddress6 = IPAddress.Parse($"{ula}:2::2");
        TargetPrefix6 = $"{ula}:2::/64";

        try
        {
            Ip("netns", "add", Router);
            Ip("netns", "add", Target);

            // No duplicate address detection on our links: a tentative link-local address holds neighbour discovery
            // (and so the first IPv6 packets) back for about two seconds.
            Sysctl(Router, "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
            Sysctl(Target, "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
            Ip("link", "add", HostInterface, "type", "veth", "peer", "name", RouterUplink, "netns", Router);
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{HostInterface}/accept_dad", "0");
            Ip("-n", Router, "link", "add", RouterDownlink, "type", "veth", "peer", "name", TargetInterface, "netns", Target);
            Sysctl(Router, "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv4.icmp_ratelimit=0", "net.ipv6.icmp.ratelimit=0");

            Ip("addr", "add", $"{HostAddress}/30", "dev", HostInterface);
            Ip("addr", "add", $"{HostAddress6}/64", "dev", HostInterface, "nodad");
            Ip("link", "set", HostInterface, "up");

            Ip("-n", Router, "addr", "add", $"{RouterUplinkAddress}/30", "dev", RouterUplink);
            Ip("-n", Router, "addr", "add", $"{RouterUplinkAddress6}/64", "dev", RouterUplink, "nodad");
            Ip("-n", Router, "addr", "add", $"{RouterDownlinkAddress}/30", "dev", RouterDownlink);
            Ip("-n", Router, "addr", "add", $"{RouterDownlinkAddress6}/64", "dev", RouterDownlink, "nodad");
            Ip("-n", Router, "link", "set", "lo", "up");
            Ip("-n", Router, "link", "set", RouterUplink, "up");
            Ip("-n", Router, "link", "set", RouterDownlink, "up");

            Ip("-n", Target, "addr", "add", $"{TargetAddress}/30", "dev", TargetInterface);
            Ip("-n", Target, "addr", "add", $"{TargetAddress6}/64", "dev", TargetInterface, "nodad");
            Ip("-n", Target, "link", "set", "lo", "up");
            Ip("-n", Target, "link", "set", TargetInterface, "up");
            Ip("-n", Target, "route", "add", "default", "via", RouterDownlinkAddress.ToString());
            Ip("-n", Target, "-6", "route", "add", "default", "via", RouterDownlinkAddress6.ToString());

            AddRootRoute(["route", "add", TargetPrefix4, "via", RouterUplinkAddress.ToString(), "dev", HostInterface]);
            AddRootRoute(["-6", "route", "add", TargetPrefix6, "via", RouterUplinkAddress6.ToString(), "dev", HostInterface]);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The router namespace (forwards between the root namespace and <see cref="Target"/>).</summary>
    public string Router { get; }

    /// <summary>The target namespace, two hops from the root namespace.</summary>
    public string Target { get; }

    /// <summary>The root namespace's veth end towards the router.</summary>
    public string HostInterface { get; }

    public string RouterUplink { get; }

    public string RouterDownlink { get; }

    public string TargetInterface { get; }

    public IPAddress HostAddress { get; }

    /// <summary>The router's address towards the root namespace: what traceroute shows at hop 1.</summary>
    public IPAddress RouterUplinkAddress { get; }

    public IPAddress RouterDownlinkAddress { get; }

    public IPAddress TargetAddress { get; }

    public IPAddress HostAddress6 { get; }

    public IPAddress RouterUplinkAddress6 { get; }

    public IPAddress RouterDownlinkAddress6 { get; }

    public IPAddress TargetAddress6 { get; }

    public string TargetPrefix4 { get; }

    public string TargetPrefix6 { get; }

    /// <summary>Makes the target ignore (IPv4 and IPv6) echo requests: a host that is up but never answers ping.</summary>
    public void SilenceTarget() => Sysctl(Target, "net.ipv4.icmp_echo_ignore_all=1", "net.ipv6.icmp.echo_ignore_all=1");

    /// <summary>Echo requests the target received so far (<c>Icmp: InEchos</c> + <c>Icmp6InEchos</c> of its namespace).</summary>
    public long TargetEchoRequests()
    {
        var snmp = Exec(Target, "cat", "/proc/net/snmp").EnsureSuccess("read snmp").StandardOutput.Split('\n');
        var header = snmp.First(l => l.StartsWith("Icmp: InMsgs", StringComparison.Ordinal)).Split(' ');
        var values = snmp.Where(l => l.StartsWith("Icmp: ", StringComparison.Ordinal)).ElementAt(1).Split(' ');
        var v4 = long.Parse(values[Array.IndexOf(header, "InEchos")], System.Globalization.CultureInfo.InvariantCulture);
        var snmp6 = Exec(Target, "cat", "/proc/net/snmp6").EnsureSuccess("read snmp6").StandardOutput.Split('\n');
        var v6 = snmp6.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 2 && f[0] == "Icmp6InEchos")
            .Select(f => long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return v4 + v6;
    }

    /// <summary>Runs a command inside <paramref name="ns"/> (one of this lab's namespaces).</summary>
    public ProcessResult Exec(string ns, params string[] command)
    {
        if (ns != Router && ns != Target)
        {
            throw new ArgumentException($"{ns} is not a namespace of this lab", nameof(ns));
        }

        return ProcessRunner.Run("ip", ["netns", "exec", ns, .. command], TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var route in _rootRoutes)
        {
            ProcessRunner.Run("ip", [.. route.Select(a => a == "add" ? "del" : a)]);
        }

        ProcessRunner.Run("ip", "netns", "del", Target);
        ProcessRunner.Run("ip", "netns", "del", Router);
        if (Directory.Exists($"/sys/class/net/{HostInterface}"))
        {
            ProcessRunner.Run("ip", "link", "del", HostInterface);
        }
    }

    private void AddRootRoute(string[] route)
    {
        Ip(route);
        _rootRoutes.Add(route);
    }

    /// <summary>Sets <c>name=value</c> sysctls inside <paramref name="ns"/> (through its /proc/sys: no procps needed).</summary>
    private void Sysctl(string ns, params string[] settings)
    {
        foreach (var setting in settings)
        {
            var (name, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            Exec(ns, "sh", "-c", $"echo {value} > /proc/sys/{name.Replace('.', '/')}").EnsureSuccess($"sysctl {setting} in {ns}");
        }
    }

    private static void Ip(params string[] args) => ProcessRunner.Run("ip", args).EnsureSuccess("ip " + string.Join(' ', args));

    private static IPAddress V4(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
