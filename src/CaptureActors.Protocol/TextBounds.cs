using System.Globalization;
using System.Text;

namespace CaptureActors.Protocol;

/// <summary>
/// How text that came from outside (a name, a filter, a host) is echoed in a message or a log line without making it
/// as large as the input: at most <see cref="ShownLength"/> characters of it, then <c>…</c> and its length; control
/// characters escaped (<c>\u0000</c>), so a refusal never carries a NUL or a terminal escape. Lists of names end in a
/// count (<c>a, b, c and 9,990 more</c>). Every refusal and audit line that repeats input uses these, so none can grow
/// past Akka.Remote's frame size.
/// </summary>
public static class TextBounds
{
    /// <summary>Characters of an input kept when it is echoed.</summary>
    public const int ShownLength = 60;

    /// <summary>Names listed before the rest is counted.</summary>
    public const int ListedItems = 20;

    /// <summary>
    /// <paramref name="text"/> in single quotes, or its first <see cref="ShownLength"/> characters and its length when
    /// longer than <paramref name="maxLength"/>: <c>'aaaa…' (100,005 characters)</c>. Control characters are escaped
    /// in either case.
    /// </summary>
    public static string Quote(string text, int maxLength = ShownLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= maxLength
            ? $"'{Escaped(text)}'"
            : string.Create(CultureInfo.InvariantCulture, $"'{Escaped(Prefix(text, ShownLength))}…' ({text.Length:N0} characters)");
    }

    /// <summary>
    /// <paramref name="text"/> as it is when it has at most <paramref name="maxLength"/> characters, else its start and
    /// its length (<c>aaaa… (100,005 characters)</c>), without quotes or escaping: for values in structured records
    /// (JSON audit lines) that their writer escapes itself.
    /// </summary>
    public static string Bounded(string text, int maxLength = ShownLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= maxLength
            ? text
            : string.Create(CultureInfo.InvariantCulture, $"{Prefix(text, maxLength)}… ({text.Length:N0} characters)");
    }

    /// <summary>
    /// The first <paramref name="max"/> items joined by <c>, </c>, then <c>and 9,990 more</c> when there are more:
    /// a message that lists names stays small however many there are.
    /// </summary>
    public static string Listed(IEnumerable<string> items, int max = ListedItems)
    {
        ArgumentNullException.ThrowIfNull(items);
        var all = items as IReadOnlyCollection<string> ?? [.. items];
        var shown = string.Join(", ", all.Take(max));
        return all.Count <= max ? shown : string.Create(CultureInfo.InvariantCulture, $"{shown} and {all.Count - max:N0} more");
    }

    /// <summary>Bytes of <paramref name="text"/> in UTF-8, as the file system counts a name.</summary>
    public static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>Control characters (C0, DEL, C1) as <c>\uXXXX</c>; everything else as it is.</summary>
    public static string Escaped(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>The first <paramref name="length"/> characters, one fewer when that would split a surrogate pair.</summary>
    private static string Prefix(string text, int length) =>
        char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
}
