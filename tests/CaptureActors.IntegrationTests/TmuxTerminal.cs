using System.Globalization;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// A program in a pseudo-terminal of its own: a detached tmux session of a fixed size on a tmux server of its own
/// (<c>-L</c> unique socket), driven with send-keys and read with capture-pane. Every wait is bounded; Dispose kills the
/// server (and so the program, with SIGHUP) even when the test failed.
/// </summary>
public sealed class TmuxTerminal : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TmuxTimeout = TimeSpan.FromSeconds(10);
    private readonly string _socket = $"ca-shell-{Guid.NewGuid():N}";
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

    /// <param name="environment">Variables set for the program (e.g. HOME).</param>
    public TmuxTerminal(IReadOnlyDictionary<string, string> environment, string executable, params string[] arguments)
    {
        List<string> command = ["env", .. environment.Select(e => $"{e.Key}={e.Value}"), executable, .. arguments];
        Tmux(["new-session", "-d", "-s", "main", "-x", "200", "-y", "50", .. command]);
        // Keep the pane (and what it shows) after the program ends, to read its last words.
        Tmux("set-option", "-t", "main", "remain-on-exit", "on");
        Tmux("set-option", "-t", "main", "history-limit", "20000");
    }

    /// <summary>Everything the pane showed, scroll-back included, wrapped lines joined.</summary>
    public string Screen => Tmux("capture-pane", "-p", "-J", "-t", "main", "-S", "-20000").StandardOutput;

    /// <summary>Types text literally (no Enter).</summary>
    public void Type(string text) => Tmux("send-keys", "-t", "main", "-l", text);

    /// <summary>Types a line and Enter.</summary>
    public void Line(string text)
    {
        if (text.Length > 0)
        {
            Type(text);
        }

        Keys("Enter");
    }

    /// <summary>Named keys: Enter, Tab, Up, C-c, C-d...</summary>
    public void Keys(params string[] keys) => Tmux(["send-keys", "-t", "main", .. keys]);

    /// <summary>
    /// Waits until <paramref name="text"/> appears once more than it had at the previous wait for the same text
    /// (like expect), and returns the screen.
    /// </summary>
    public string Expect(string text, TimeSpan? timeout = null)
    {
        var already = _seen.GetValueOrDefault(text);
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        string screen;
        do
        {
            screen = Screen;
            var count = Count(screen, text);
            if (count > already)
            {
                _seen[text] = count;
                return screen;
            }

            Thread.Sleep(150);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"'{text}' did not appear (again) within {timeout ?? DefaultWait}; the terminal shows:\n{screen}");
    }

    /// <summary>Waits until the last non-empty line of the pane satisfies <paramref name="condition"/>.</summary>
    public string ExpectLastLine(Func<string, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        string last;
        do
        {
            last = Screen.Split('\n').Select(l => l.TrimEnd()).LastOrDefault(l => l.Length > 0) ?? "";
            if (condition(last))
            {
                return last;
            }

            Thread.Sleep(150);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"the last line never matched within {timeout ?? DefaultWait}; it is '{last}'; the terminal shows:\n{Screen}");
    }

    /// <summary>Closes the terminal: the program gets SIGHUP, as when an SSH session drops.</summary>
    public void Close() => Tmux("kill-server");

    /// <summary>The program's process id (the pane's process).</summary>
    public int ProcessId => int.Parse(Tmux("display-message", "-p", "-t", "main", "#{pane_pid}").StandardOutput.Trim(), CultureInfo.InvariantCulture);

    /// <summary>True once the program in the pane has exited.</summary>
    public bool Exited => Tmux("display-message", "-p", "-t", "main", "#{pane_dead}").StandardOutput.Trim() == "1";

    public void Dispose()
    {
        ProcessRunner.Run("tmux", ["-L", _socket, "kill-server"], TmuxTimeout);
    }

    private static int Count(string screen, string text)
    {
        var count = 0;
        for (var at = screen.IndexOf(text, StringComparison.Ordinal); at >= 0; at = screen.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private ProcessResult Tmux(params string[] arguments) =>
        ProcessRunner.Run("tmux", ["-L", _socket, .. arguments], TmuxTimeout).EnsureSuccess($"tmux {arguments[0]}");
}
