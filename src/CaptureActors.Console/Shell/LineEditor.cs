using System.Text;

namespace CaptureActors.Console.Shell;

/// <summary>What one read of a line gave.</summary>
public enum LineKind
{
    /// <summary>A line (maybe empty) ended by Enter.</summary>
    Text,

    /// <summary>Ctrl-D on an empty line, end of the input, or the terminal is gone.</summary>
    EndOfInput,

    /// <summary>Ctrl-C: the line is dropped.</summary>
    Interrupted,
}

public readonly record struct LineInput(LineKind Kind, string Text)
{
    public static readonly LineInput End = new(LineKind.EndOfInput, "");

    public static readonly LineInput Interrupt = new(LineKind.Interrupted, "");
}

/// <summary>Reads the shell's input one line at a time.</summary>
public interface ILineReader
{
    /// <param name="complete">Candidates for the word before the cursor, given the text before the cursor.</param>
    LineInput ReadLine(string prompt, Func<string, IReadOnlyList<string>> complete);
}

/// <summary>Input that is not a terminal (a pipe, a file): plain lines, no editing.</summary>
public sealed class PlainLineReader(TextReader input, TextWriter output) : ILineReader
{
    public LineInput ReadLine(string prompt, Func<string, IReadOnlyList<string>> complete)
    {
        output.Write(prompt);
        output.Flush();
        return input.ReadLine() is { } line ? new LineInput(LineKind.Text, line) : LineInput.End;
    }
}

/// <summary>
/// A small line editor over <see cref="System.Console.ReadKey(bool)"/>: insert and delete, Left/Right, Home/End
/// (Ctrl-A/Ctrl-E), Ctrl-U, Up/Down through the history, Tab to complete (the common prefix, or the list of
/// candidates when it is ambiguous), Ctrl-C drops the line, Ctrl-D on an empty line ends the input. Lines longer than
/// the terminal's width are not re-wrapped (menu answers are short).
/// </summary>
public sealed class TerminalLineEditor(ShellHistory history, TextWriter output) : ILineReader
{
    public LineInput ReadLine(string prompt, Func<string, IReadOnlyList<string>> complete)
    {
        var buffer = new StringBuilder();
        var cursor = 0;
        var historyIndex = history.Lines.Count;
        var draft = "";
        output.Write(prompt);
        output.Flush();

        var previous = System.Console.TreatControlCAsInput;
        System.Console.TreatControlCAsInput = true;
        try
        {
            while (true)
            {
                ConsoleKeyInfo key;
                try
                {
                    key = System.Console.ReadKey(intercept: true);
                }
                catch (InvalidOperationException)
                {
                    return LineInput.End;
                }
                catch (IOException)
                {
                    return LineInput.End;
                }

                var control = (key.Modifiers & ConsoleModifiers.Control) != 0;
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        output.WriteLine();
                        return new LineInput(LineKind.Text, buffer.ToString());
                    case ConsoleKey.C when control:
                        output.WriteLine("^C");
                        return LineInput.Interrupt;
                    case ConsoleKey.D when control:
                        if (buffer.Length == 0)
                        {
                            output.WriteLine();
                            return LineInput.End;
                        }

                        if (cursor < buffer.Length)
                        {
                            buffer.Remove(cursor, 1);
                        }

                        break;
                    case ConsoleKey.Backspace:
                        if (cursor > 0)
                        {
                            buffer.Remove(--cursor, 1);
                        }

                        break;
                    case ConsoleKey.Delete:
                        if (cursor < buffer.Length)
                        {
                            buffer.Remove(cursor, 1);
                        }

                        break;
                    case ConsoleKey.LeftArrow:
                        cursor = Math.Max(0, cursor - 1);
                        break;
                    case ConsoleKey.RightArrow:
                        cursor = Math.Min(buffer.Length, cursor + 1);
                        break;
                    case ConsoleKey.Home:
                    case ConsoleKey.A when control:
                        cursor = 0;
                        break;
                    case ConsoleKey.End:
                    case ConsoleKey.E when control:
                        cursor = buffer.Length;
                        break;
                    case ConsoleKey.U when control:
                        buffer.Remove(0, cursor);
                        cursor = 0;
                        break;
                    case ConsoleKey.UpArrow:
                        if (historyIndex > 0)
                        {
                            if (historyIndex == history.Lines.Count)
                            {
                                draft = buffer.ToString();
                            }

                            historyIndex--;
                            buffer.Clear().Append(history.Lines[historyIndex]);
                            cursor = buffer.Length;
                        }

                        break;
                    case ConsoleKey.DownArrow:
                        if (historyIndex < history.Lines.Count)
                        {
                            historyIndex++;
                            buffer.Clear().Append(historyIndex == history.Lines.Count ? draft : history.Lines[historyIndex]);
                            cursor = buffer.Length;
                        }

                        break;
                    case ConsoleKey.Tab:
                        cursor = Complete(buffer, cursor, complete, prompt, output);
                        break;
                    default:
                        if (key.KeyChar != '\0' && !char.IsControl(key.KeyChar))
                        {
                            buffer.Insert(cursor++, key.KeyChar);
                        }

                        break;
                }

                Redraw(output, prompt, buffer, cursor);
            }
        }
        finally
        {
            System.Console.TreatControlCAsInput = previous;
        }
    }

    /// <summary>Completes the word before the cursor: one candidate replaces it, several extend it to their common prefix or are listed.</summary>
    private static int Complete(StringBuilder buffer, int cursor, Func<string, IReadOnlyList<string>> complete, string prompt, TextWriter output)
    {
        var before = buffer.ToString(0, cursor);
        var start = before.LastIndexOfAny([' ', ',']) + 1;
        var word = before[start..];
        var candidates = complete(before)
            .Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0)
        {
            return cursor;
        }

        string replacement;
        if (candidates.Count == 1)
        {
            replacement = candidates[0];
        }
        else
        {
            replacement = CommonPrefix(candidates);
            if (replacement.Length <= word.Length)
            {
                output.WriteLine();
                output.WriteLine(string.Join("  ", candidates));
                output.Write(prompt);
                return cursor;
            }
        }

        buffer.Remove(start, word.Length).Insert(start, replacement);
        return start + replacement.Length;
    }

    private static string CommonPrefix(IReadOnlyList<string> words)
    {
        var prefix = words[0];
        foreach (var word in words.Skip(1))
        {
            var length = 0;
            while (length < prefix.Length && length < word.Length && char.ToUpperInvariant(prefix[length]) == char.ToUpperInvariant(word[length]))
            {
                length++;
            }

            prefix = prefix[..length];
        }

        return prefix;
    }

    private static void Redraw(TextWriter output, string prompt, StringBuilder buffer, int cursor)
    {
        output.Write('\r');
        output.Write(prompt);
        output.Write(buffer.ToString());
        output.Write("\u001b[K");
        var back = buffer.Length - cursor;
        if (back > 0)
        {
            output.Write($"\u001b[{back}D");
        }

        output.Flush();
    }
}
