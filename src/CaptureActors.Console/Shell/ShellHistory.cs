namespace CaptureActors.Console.Shell;

/// <summary>
/// The shell's history across sessions: one line a line in <c>$XDG_DATA_HOME/capture-actors/shell_history</c>
/// (default <c>~/.local/share/capture-actors/shell_history</c>), the newest <see cref="MaxLines"/> kept. Each line is
/// appended as it is entered, so a closed terminal loses none. An unwritable file only turns persistence off.
/// </summary>
public sealed class ShellHistory
{
    public const int MaxLines = 1000;
    private readonly List<string> _lines = [];
    private readonly string? _path;

    public ShellHistory(string? path)
    {
        _path = path;
        if (path is not null && File.Exists(path))
        {
            try
            {
                _lines.AddRange(File.ReadLines(path).Where(l => l.Length > 0).TakeLast(MaxLines));
            }
            catch (IOException)
            {
                _path = null;
            }
            catch (UnauthorizedAccessException)
            {
                _path = null;
            }
        }
    }

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>The history file in the user's home, or null when there is no home.</summary>
    public static string? DefaultPath()
    {
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(data))
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            data = Path.Combine(home, ".local", "share");
        }

        return Path.Combine(data, "capture-actors", "shell_history");
    }

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line.Contains('\n') || (_lines.Count > 0 && _lines[^1] == line))
        {
            return;
        }

        _lines.Add(line);
        if (_lines.Count > MaxLines)
        {
            _lines.RemoveAt(0);
        }

        if (_path is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            File.AppendAllText(_path, line + "\n");
        }
        catch (IOException)
        {
            // Persistence is a convenience: the session goes on without it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
