using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CaptureActors.Capture.Tests;

/// <summary>Helpers for tests that run real captures.</summary>
internal static class LiveCapture
{
    /// <summary>A UDP socket bound to a free loopback port: the port to send to (and it absorbs the datagrams, so no ICMP replies).</summary>
    public static Socket BindLoopbackReceiver(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; false on timeout.</summary>
    public static async Task<bool> WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Waits for the capture to end by itself (bounded); fails the test when it does not.</summary>
    public static async Task<InterfaceCaptureResult> Ended(IInterfaceCapture capture, TimeSpan timeout)
    {
        Task finished = await Task.WhenAny(capture.Completion, Task.Delay(timeout));
        Assert.True(finished == capture.Completion, $"capture of {capture.Interface} did not end within {timeout}");
        return await capture.Completion;
    }

    /// <summary>Stops the capture and returns its result (bounded wait).</summary>
    public static async Task<InterfaceCaptureResult> StopAndWait(IInterfaceCapture capture)
    {
        capture.Stop();
        return await Ended(capture, TimeSpan.FromSeconds(5));
    }
}
