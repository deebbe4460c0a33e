using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CaptureActors.TestSupport;

/// <summary>
/// A dnsmasq the test runs itself: on 127.0.0.1 only, a random free high port, no upstream (<c>--no-resolv</c>), no
/// hosts file, no system configuration, its own pid file; authoritative for <c>.test</c> (unknown names get NXDOMAIN).
/// Killed on Dispose. Needs the Debian package dnsmasq-base (deploy/bootstrap.sh --for-tests).
/// </summary>
public sealed class Dnsmasq : IDisposable
{
    public const string Binary = "/usr/sbin/dnsmasq";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly StringBuilder _log = new();

    private Dnsmasq(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>As <c>--dns-server</c> takes it.</summary>
    public string Server => $"127.0.0.1:{Port}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts dnsmasq with <paramref name="records"/> (dnsmasq options such as <c>--mx-host=...</c>); up to three ports are tried.</summary>
    public static Dnsmasq Start(params string[] records)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install the Debian package dnsmasq-base (deploy/bootstrap.sh --for-tests)");
        }

        var failures = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var directory = new TempDirectory("ca-dnsmasq-");
            var port = UdpTraffic.FreePort();
            var info = new ProcessStartInfo(Binary)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--no-daemon", "--conf-file=/dev/null", $"--pid-file={directory.File("dnsmasq.pid")}",
                $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces",
                "--no-resolv", "--no-hosts", "--no-poll", "--local=/test/", "--log-facility=-", "--log-queries",
                "--user=root", "--group=root",
            }.Concat(records))
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("dnsmasq did not start");
            var server = new Dnsmasq(process, directory, port);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnLine(object sender, DataReceivedEventArgs e)
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (server._log)
                {
                    server._log.AppendLine(e.Data);
                }

                if (e.Data.Contains("started, version", StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }

            process.ErrorDataReceived += OnLine;
            process.OutputDataReceived += OnLine;
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < StartTimeout && !ready.Task.IsCompleted && !process.HasExited)
            {
                ready.Task.Wait(TimeSpan.FromMilliseconds(100));
            }

            // "started" is logged before the sockets fail to bind on some versions: give a failing bind a moment to show.
            if (ready.Task.IsCompleted && !process.WaitForExit(200))
            {
                return server;
            }

            failures.Add($"port {port}: {server.Log}");
            server.Dispose();
        }

        throw new InvalidOperationException($"dnsmasq did not start:\n{string.Join("\n", failures)}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _directory.Dispose();
    }
}
