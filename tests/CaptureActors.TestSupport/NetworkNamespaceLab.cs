using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CaptureActors.TestSupport;

/// <summary>
/// A network namespace of the test's own (<c>ca-t-xxxxxx</c>) joined to the root namespace by a veth pair:
/// the host end (<see cref="HostInterface"/>, <see cref="HostAddress"/>) stays in the root namespace, the peer end
/// (<see cref="PeerAddress"/>) is inside. Addresses are a random /30 of the benchmark range 198.18.0.0/15;
/// the namespace has no default route. Dispose deletes the namespace and the veth (also after a failed test).
/// Root only.
/// </summary>
public sealed partial class NetworkNamespaceLab : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private bool _disposed;

    public NetworkNamespaceLab()
    {
        Privilege.Require();
        string id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3));
        Namespace = $"ca-t-{id}";
        HostInterface = $"cat{id}h";
        PeerInterface = $"cat{id}p";
        int block = Random.Shared.Next(0, 1 << 15); // 32768 /30 blocks in 198.18.0.0/15
        uint network = (198u << 24) | (18u << 16) | ((uint)block << 2);
        HostAddress = ToAddress(network + 1);
        PeerAddress = ToAddress(network + 2);
        try
        {
            Ip("netns", "add", Namespace);
            Ip("link", "add", HostInterface, "type", "veth", "peer", "name", PeerInterface, "netns", Namespace);
            Ip("addr", "add", $"{HostAddress}/30", "dev", HostInterface);
            Ip("link", "set", HostInterface, "up");
            Ip("-n", Namespace, "addr", "add", $"{PeerAddress}/30", "dev", PeerInterface);
            Ip("-n", Namespace, "link", "set", PeerInterface, "up");
            Ip("-n", Namespace, "link", "set", "lo", "up");

            // Permanent neighbours both ways: no ARP exchange, so a burst is never held back (or dropped) waiting for resolution.
            string hostMac = File.ReadAllText($"/sys/class/net/{HostInterface}/address").Trim();
            string peerMac = ProcessRunner.Run("ip", "-n", Namespace, "-br", "link", "show", "dev", PeerInterface)
                .EnsureSuccess("ip link show").StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
            Ip("-n", Namespace, "neigh", "replace", HostAddress.ToString(), "lladdr", hostMac, "dev", PeerInterface, "nud", "permanent");
            Ip("neigh", "replace", PeerAddress.ToString(), "lladdr", peerMac, "dev", HostInterface, "nud", "permanent");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Name of the network namespace.</summary>
    public string Namespace { get; }

    /// <summary>The veth end in the root namespace (capture here).</summary>
    public string HostInterface { get; }

    /// <summary>The veth end inside the namespace.</summary>
    public string PeerInterface { get; }

    public IPAddress HostAddress { get; }

    public IPAddress PeerAddress { get; }

    /// <summary>Runs a command inside the namespace (<c>ip netns exec NS ...</c>).</summary>
    public ProcessResult Exec(params string[] command) =>
        ProcessRunner.Run("ip", ["netns", "exec", Namespace, .. command], TimeSpan.FromSeconds(60));

    /// <summary>
    /// Sends exactly <paramref name="count"/> UDP datagrams from inside the namespace (peer address) to
    /// <paramref name="port"/> on the host end. Runs on a dedicated thread moved into the namespace with setns(2).
    /// </summary>
    public int SendUdpToHost(int port, int count, int payloadBytes, int? packetsPerSecond = null, TimeSpan? timeout = null) =>
        SendUdp(new IPEndPoint(HostAddress, port), count, payloadBytes, packetsPerSecond, timeout);

    /// <summary>Sends UDP from inside the namespace to <paramref name="target"/>, which must be this lab's host or peer address or loopback.</summary>
    public int SendUdp(IPEndPoint target, int count, int payloadBytes, int? packetsPerSecond = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.Address.Equals(HostAddress) && !target.Address.Equals(PeerAddress) && !IPAddress.IsLoopback(target.Address))
        {
            throw new ArgumentException($"{target} is not an address of lab {Namespace}", nameof(target));
        }

        int sent = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                EnterNamespace();
                sent = UdpTraffic.SendUnchecked(target, count, payloadBytes, packetsPerSecond, timeout);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = $"udp from {Namespace}" };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"sending from {Namespace} failed: {failure.Message}", failure);
        }

        return sent;
    }

    /// <summary>Deletes the host end of the veth now (the peer goes with it), e.g. to make a capture lose its interface.</summary>
    public void DeleteVeth() => Ip("link", "del", HostInterface);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ProcessRunner.Run("ip", "netns", "del", Namespace);
        if (Directory.Exists($"/sys/class/net/{HostInterface}"))
        {
            ProcessRunner.Run("ip", "link", "del", HostInterface);
        }
    }

    private static void Ip(params string[] args) => ProcessRunner.Run("ip", args).EnsureSuccess("ip " + string.Join(' ', args));

    private static IPAddress ToAddress(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    /// <summary>Moves the calling thread (a dedicated one, never a pool thread) into this lab's namespace.</summary>
    private void EnterNamespace()
    {
        using SafeFileHandle ns = File.OpenHandle($"/run/netns/{Namespace}");
        if (SetNamespace((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
        {
            throw new InvalidOperationException($"setns({Namespace}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int nsType);
}
