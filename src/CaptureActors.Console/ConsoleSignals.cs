using System.Runtime.InteropServices;

namespace CaptureActors.Console;

/// <summary>
/// SIGINT and SIGTERM for the whole process: they cancel <see cref="Terminated"/> (the running command) instead of
/// killing the process, so an attached capture sends StopCapture and the embedded agent shuts down cleanly. The
/// interactive shell takes SIGINT over (<see cref="InterceptInterrupt"/>): Ctrl-C then stops only the command it runs.
/// </summary>
public sealed class ConsoleSignals : IDisposable
{
    private readonly CancellationTokenSource _terminated = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private volatile Action? _interrupt;

    public ConsoleSignals()
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnInterrupt);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
    }

    /// <summary>Cancelled by SIGTERM, and by SIGINT unless the shell has taken it over.</summary>
    public CancellationToken Terminated => _terminated.Token;

    /// <summary>Sends SIGINT to <paramref name="onInterrupt"/> until the result is disposed.</summary>
    public IDisposable InterceptInterrupt(Action onInterrupt)
    {
        _interrupt = onInterrupt;
        return new Restore(this);
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _terminated.Dispose();
    }

    private void OnInterrupt(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_interrupt is { } interrupt)
        {
            interrupt();
        }
        else
        {
            _terminated.Cancel();
        }
    }

    private void OnTerminate(PosixSignalContext context)
    {
        context.Cancel = true;
        _terminated.Cancel();
    }

    private sealed class Restore(ConsoleSignals owner) : IDisposable
    {
        public void Dispose() => owner._interrupt = null;
    }
}
