using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace CaptureActors.Probes.Etherconfig;

/// <summary>
/// The two ethtool queries sysfs does not answer, asked of the kernel directly (SIOCETHTOOL, as the
/// <c>ethtool</c> tool does; no extra package): auto-negotiation (<c>ETHTOOL_GSET</c>) and the driver
/// (<c>ETHTOOL_GDRVINFO</c>). A device without the query (loopback, some virtual devices) answers null.
/// Works in the caller's network namespace.
/// </summary>
public static partial class EthtoolIoctl
{
    private const uint SiocEthtool = 0x8946;
    private const uint EthtoolGetSettings = 0x00000001;
    private const uint EthtoolGetDriverInfo = 0x00000003;

    // struct ifreq: char ifr_name[16]; then a union whose ifr_data is a pointer. 40 bytes on 64-bit Linux.
    private const int IfreqSize = 40;
    private const int InterfaceNameSize = 16;

    // struct ethtool_cmd (44 bytes): autoneg is the u8 at offset 18.
    private const int EthtoolCmdSize = 44;
    private const int AutonegOffset = 18;

    // struct ethtool_drvinfo (196 bytes): char driver[32] at offset 4.
    private const int DriverInfoSize = 196;
    private const int DriverOffset = 4;
    private const int DriverSize = 32;

    /// <summary>Whether auto-negotiation is on; null when the device cannot say.</summary>
    public static bool? AutoNegotiation(string interfaceName) =>
        Query<bool?>(interfaceName, EthtoolGetSettings, EthtoolCmdSize, buffer => Marshal.ReadByte(buffer, AutonegOffset) != 0);

    /// <summary>The device's driver name; null when the device cannot say.</summary>
    public static string? Driver(string interfaceName) =>
        Query<string?>(interfaceName, EthtoolGetDriverInfo, DriverInfoSize, buffer =>
        {
            var bytes = new byte[DriverSize];
            Marshal.Copy(buffer + DriverOffset, bytes, 0, DriverSize);
            var length = Array.IndexOf(bytes, (byte)0);
            var text = Encoding.ASCII.GetString(bytes, 0, length < 0 ? DriverSize : length);
            return text.Length == 0 ? null : text;
        });

    /// <summary>One SIOCETHTOOL call; <c>default</c> when it fails (use a nullable <typeparamref name="T"/>).</summary>
    private static T Query<T>(string interfaceName, uint command, int size, Func<nint, T> read)
    {
        var name = Encoding.ASCII.GetBytes(interfaceName);
        if (name.Length >= InterfaceNameSize)
        {
            return default!;
        }

        var request = Marshal.AllocHGlobal(IfreqSize);
        var data = Marshal.AllocHGlobal(size);
        try
        {
            Clear(request, IfreqSize);
            Clear(data, size);
            Marshal.Copy(name, 0, request, name.Length);
            Marshal.WriteIntPtr(request, InterfaceNameSize, data);
            Marshal.WriteInt32(data, 0, (int)command);
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            return Ioctl((int)socket.Handle, SiocEthtool, request) == 0 ? read(data) : default!;
        }
        finally
        {
            Marshal.FreeHGlobal(data);
            Marshal.FreeHGlobal(request);
        }
    }

    private static void Clear(nint buffer, int size)
    {
        for (var i = 0; i < size; i++)
        {
            Marshal.WriteByte(buffer, i, 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request, nint argument);
}
