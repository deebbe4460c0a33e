using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// Two network namespaces of the test's own (<c>ca-t-xxxxxxa</c>, <c>ca-t-xxxxxxb</c>) joined by a veth pair
/// (<see cref="InterfaceA"/> in A, <see cref="InterfaceB"/> in B), with a random /30 of 198.18.0.0/15 and a random
/// ULA /64 (fd00::/8, no DAD). Nothing in the root namespace is touched: every change a test makes happens in A or B.
/// Dispose deletes both namespaces (and with them the veth and anything created inside).
/// </summary>
public sealed partial class NamespacePair : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private bool _disposed;

    public NamespacePair()
    {
        Privilege.Require();
        var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3));
        A = $"ca-t-{id}a";
        B = $"ca-t-{id}b";
        InterfaceA = $"cae{id}a";
        InterfaceB = $"cae{id}b";
        var block = (uint)Random.Shared.Next(0, 1 << 15);
        var network = (198u << 24) | (18u << 16) | (block << 2);
        AddressA = ToAddress(network + 1);
        AddressB = ToAddress(network + 2);
        var ula = $"fd{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 7))}";
        var prefix = $"{ula[..4]}:{ula[4..8]}:{ula[8..12]}:{ula[12..16]}";
        Address6A = IPAddress.Parse($"{prefix}::1");
        Address6B = IPAddress.Parse($"{prefix}::2");
        try
        {
            Ip("netns", "add", A);
            Ip("netns", "add", B);
            Ip("-n", A, "link", "add", InterfaceA, "type", "veth", "peer", "name", InterfaceB, "netns", B);
            foreach (var (ns, dev, v4, v6) in new[] { (A, InterfaceA, AddressA, Address6A), (B, InterfaceB, AddressB, Address6B) })
            {
                Ip("-n", ns, "addr", "add", $"{v4}/30", "dev", dev);
                Ip("-n", ns, "addr", "add", $"{v6}/64", "dev", dev, "nodad");
                Ip("-n", ns, "link", "set", dev, "up");
                Ip("-n", ns, "link", "set", "lo", "up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string A { get; }

    public string B { get; }

    /// <summary>The veth end in <see cref="A"/>.</summary>
    public string InterfaceA { get; }

    /// <summary>The veth end in <see cref="B"/>.</summary>
    public string InterfaceB { get; }

    public IPAddress AddressA { get; }

    public IPAddress AddressB { get; }

    public IPAddress Address6A { get; }

    public IPAddress Address6B { get; }

    /// <summary>Runs a command inside <paramref name="ns"/> (<c>ip netns exec NS ...</c>).</summary>
    public static ProcessResult Exec(string ns, params string[] command) =>
        ProcessRunner.Run("ip", ["netns", "exec", ns, .. command], TimeSpan.FromSeconds(60));

    /// <summary>
    /// Sends one UDP datagram from A to B over IPv4 and IPv6 (a thread moved into A with setns(2); no ping binary
    /// needed), then waits up to 5 s until A's neighbour caches hold B resolved.
    /// </summary>
    public void ResolveBFromA()
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var ns = File.OpenHandle($"/run/netns/{A}"))
                {
                    if (SetNamespace((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                    {
                        throw new InvalidOperationException($"setns({A}) failed: errno {Marshal.GetLastPInvokeError()}");
                    }
                }

                foreach (var target in new[] { AddressB, Address6B })
                {
                    using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                    socket.SendTo([1, 2, 3], new IPEndPoint(target, 9));
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = $"udp from {A}" };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"sending from {A} failed: {failure.Message}", failure);
        }

        var mac = MacB();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            var v4 = ProcessRunner.Run("ip", "-n", A, "-4", "neigh", "show", AddressB.ToString()).StandardOutput;
            var v6 = ProcessRunner.Run("ip", "-n", A, "-6", "neigh", "show", Address6B.ToString()).StandardOutput;
            if (v4.Contains(mac, StringComparison.Ordinal) && v6.Contains(mac, StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"{A} did not resolve {AddressB} and {Address6B} within 5 s");
    }

    /// <summary>B's MAC address.</summary>
    public string MacB() =>
        ProcessRunner.Run("ip", "-n", B, "-br", "link", "show", "dev", InterfaceB).EnsureSuccess("ip link show")
            .StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ProcessRunner.Run("ip", "netns", "del", A);
        ProcessRunner.Run("ip", "netns", "del", B);
    }

    public static void Ip(params string[] args) => ProcessRunner.Run("ip", args).EnsureSuccess("ip " + string.Join(' ', args));

    private static IPAddress ToAddress(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int nsType);
}
