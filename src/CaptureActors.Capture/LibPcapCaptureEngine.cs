using CaptureActors.Pcap;
using SharpPcap;
using SharpPcap.LibPcap;

namespace CaptureActors.Capture;

/// <summary>Live capture over SharpPcap/libpcap: SharpPcap opens the device, our own loop reads and writes packets.</summary>
public sealed class LibPcapCaptureEngine : ICaptureEngine
{
    /// <summary>Kernel ring buffer requested for each capture (pcap_set_buffer_size).</summary>
    public const int KernelBufferBytes = 32 << 20;

    /// <summary>libpcap read timeout: the loop wakes at least this often to flush, read stats and check the deadline.</summary>
    public const int ReadTimeoutMilliseconds = 250;

    public IReadOnlyList<InterfaceInfo> ListInterfaces() => InterfaceInventory.List();

    public FilterCheck CheckFilter(string filter) => CheckFilter(filter, PcapFileLinkTypeEthernet);

    public string? MissingCapturePrivilege() => CapturePrivilege.Missing();

    public IInterfaceCapture Start(InterfaceCaptureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.SnapLength, 1);
        if (request.MaxFileSizeBytes is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(request.MaxFileSizeBytes));
        }

        if (request.RingFiles is { } ring)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ring, 1, nameof(request.RingFiles));
        }

        IReadOnlyList<PcapInterface> interfaces = InterfaceInventory.PcapInterfaces();
        PcapInterface? pcapInterface = interfaces.FirstOrDefault(i => i.Name == request.Interface);
        if (pcapInterface is null)
        {
            string valid = string.Join(", ", interfaces.Select(i => i.Name).Order(StringComparer.Ordinal));
            throw new CaptureStartException(CaptureStartError.UnknownInterface,
                $"no interface '{request.Interface}' on this machine; valid interfaces: {valid}");
        }

        FilterCheck check = CheckFilter(request.Filter);
        if (!check.IsValid)
        {
            throw new CaptureStartException(CaptureStartError.InvalidFilter, $"invalid filter '{request.Filter}': {check.Error}");
        }

        if (MissingCapturePrivilege() is { } missing)
        {
            throw new CaptureStartException(CaptureStartError.PermissionDenied, missing);
        }

        var device = new LibPcapLiveDevice(pcapInterface);
        try
        {
            OpenDevice(device, request);
            return LibPcapInterfaceCapture.Start(device, request);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private const int PcapFileLinkTypeEthernet = 1;

    /// <summary>Compiles <paramref name="filter"/> for <paramref name="linkType"/> with pcap_compile on a dead handle.</summary>
    internal static FilterCheck CheckFilter(string filter, int linkType)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (string.IsNullOrWhiteSpace(filter))
        {
            return FilterCheck.Valid;
        }

        // libpcap takes a C string: it would compile only what precedes a NUL. Callers refuse every control character
        // first (CaptureSettings.FilterProblem, in Protocol, which this project does not see); this is the last line.
        if (filter.Contains('\0', StringComparison.Ordinal))
        {
            return FilterCheck.Invalid("the filter contains a NUL character: libpcap would compile only the text before it");
        }

        IntPtr dead = LibPcapNative.OpenDead(linkType, 65535);
        if (dead == IntPtr.Zero)
        {
            return FilterCheck.Invalid("libpcap could not create a handle to compile the filter");
        }

        try
        {
            var program = default(LibPcapNative.BpfProgram);
            if (LibPcapNative.Compile(dead, ref program, filter, 1, LibPcapNative.NetmaskUnknown) != 0)
            {
                return FilterCheck.Invalid(LibPcapNative.ErrorText(dead));
            }

            LibPcapNative.FreeCode(ref program);
            return FilterCheck.Valid;
        }
        finally
        {
            LibPcapNative.Close(dead);
        }
    }

    /// <summary>
    /// A cooked handle (<c>any</c>) writes LINUX_SLL2 where libpcap offers it, so the file keeps each packet's interface
    /// and direction (tcpdump -r prints <c>lo In</c>); LINUX_SLL v1 loses the interface. A refusal keeps v1.
    /// </summary>
    private static void PreferLinuxSll2(LibPcapLiveDevice device)
    {
        IntPtr handle = device.Handle.DangerousGetHandle();
        if (LibPcapNative.DataLink(handle) == PcapFormat.LinkTypeLinuxSll && LibPcapNative.DataLinks(handle).Contains(PcapFormat.LinkTypeLinuxSll2))
        {
            // A refusal leaves the handle on LINUX_SLL; the file's header follows pcap_datalink either way.
            _ = LibPcapNative.SetDataLink(handle, PcapFormat.LinkTypeLinuxSll2);
        }
    }

    private static void OpenDevice(LibPcapLiveDevice device, InterfaceCaptureRequest request)
    {
        try
        {
            device.Open(new DeviceConfiguration
            {
                Snaplen = request.SnapLength,
                Mode = request.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
                ReadTimeout = ReadTimeoutMilliseconds,
                BufferSize = KernelBufferBytes,
            });
        }
        catch (PcapException e)
        {
            CaptureStartError error = e.Error switch
            {
                PcapError.PermissionDenied or PcapError.PromiscuousPermissionDenied => CaptureStartError.PermissionDenied,
                PcapError.NoSuchDevice => CaptureStartError.UnknownInterface,
                _ => CaptureStartError.DeviceError,
            };
            string hint = error == CaptureStartError.PermissionDenied ? $" ({CapturePrivilege.MissingMessage})" : "";
            throw new CaptureStartException(error, $"cannot open {request.Interface}: {e.Message}{hint}", e);
        }

        // Before the filter: libpcap compiles it for the handle's link type.
        PreferLinuxSll2(device);
        if (!string.IsNullOrWhiteSpace(request.Filter))
        {
            try
            {
                device.Filter = request.Filter;
            }
            catch (PcapException e)
            {
                throw new CaptureStartException(CaptureStartError.InvalidFilter,
                    $"invalid filter '{request.Filter}' on {request.Interface}: {e.Message}", e);
            }
        }
    }
}
