using System.Runtime.InteropServices;

namespace CaptureActors.Probes.Netstat.SockDiag;

/// <summary>
/// A raw <c>AF_NETLINK</c> datagram socket through libc. System.Net.Sockets cannot open one: <c>new Socket((AddressFamily)16, …)</c>
/// fails with EAFNOSUPPORT because .NET translates address families through its own table, which has no netlink.
/// Unconnected and unbound, it talks to the kernel (port id 0) and is bound to a port id on first send.
/// </summary>
internal sealed partial class NetlinkSocket : IDisposable
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int MsgTrunc = 0x20;
    private const int MsgDontwait = 0x40;
    private const short PollIn = 0x1;
    private const int EIntr = 4;
    private const int EAgain = 11;

    private int _fd;

    public NetlinkSocket(int protocol)
    {
        _fd = Socket(AfNetlink, SockRaw | SockCloexec, protocol);
        if (_fd < 0)
        {
            throw Failure("socket(AF_NETLINK)");
        }
    }

    public unsafe void Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* data = message)
        {
            var sent = SendTo(_fd, data, message.Length, 0);
            if (sent != message.Length)
            {
                throw sent < 0 ? Failure("send(netlink)") : new IOException($"netlink took {sent} of {message.Length} bytes");
            }
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (checking <paramref name="cancellationToken"/> every 100 ms) for one
    /// datagram and reads it into <paramref name="buffer"/>; a datagram larger than the buffer is an error, never cut.
    /// </summary>
    public unsafe int Receive(Span<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var poll = new PollFd { Fd = _fd, Events = PollIn };
            var ready = Poll(&poll, 1, 100);
            if (ready < 0 && Marshal.GetLastPInvokeError() != EIntr)
            {
                throw Failure("poll(netlink)");
            }

            if (ready > 0)
            {
                fixed (byte* data = buffer)
                {
                    // MSG_TRUNC: the real length is returned even when it exceeds the buffer.
                    var length = Recv(_fd, data, buffer.Length, MsgTrunc | MsgDontwait);
                    if (length >= 0)
                    {
                        return length <= buffer.Length
                            ? (int)length
                            : throw new IOException($"a netlink datagram of {length} bytes exceeds the {buffer.Length}-byte buffer");
                    }

                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is not (EAgain or EIntr))
                    {
                        throw Failure("recv(netlink)");
                    }
                }
            }

            if (Environment.TickCount64 >= deadline)
            {
                throw new TimeoutException($"the kernel did not answer on netlink within {timeout.TotalSeconds:0.#} s");
            }
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = Close(_fd);
            _fd = -1;
        }
    }

    private static IOException Failure(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static unsafe partial nint SendTo(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
