using System.Globalization;
using System.Text.RegularExpressions;

namespace CaptureActors.Protocol;

/// <summary>
/// Parses and formats sizes such as <c>200MB</c>, <c>1.5G</c>, <c>512KiB</c> or <c>4096</c>.
/// K, M, G, T are binary multiples (1024), with or without <c>B</c> / <c>iB</c>: 200MB = 200 × 1024².
/// </summary>
public static partial class ByteSize
{
    private const string Allowed = "a positive number with an optional unit B, KB, MB, GB or TB (binary multiples), e.g. 200MB or 1.5GB";

    [GeneratedRegex(@"^\s*(?<n>\d+(?:\.\d+)?)\s*(?<u>[kmgt]?)(?:i?b)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    public static bool TryParse(string? text, out long bytes, out string error)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"size is empty: expected {Allowed}";
            return false;
        }

        var match = SizePattern().Match(text);
        if (!match.Success || !decimal.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = $"'{text}' is not a size: expected {Allowed}";
            return false;
        }

        var multiplier = char.ToLowerInvariant(match.Groups["u"].Value.FirstOrDefault()) switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            't' => 1L << 40,
            _ => 1L,
        };

        var value = number * multiplier;
        if (value <= 0)
        {
            error = $"size '{text}' must be greater than zero";
            return false;
        }

        if (value > long.MaxValue / 2)
        {
            error = $"size '{text}' is too large";
            return false;
        }

        bytes = (long)decimal.Round(value);
        error = "";
        return true;
    }

    public static long Parse(string text) =>
        TryParse(text, out var bytes, out var error) ? bytes : throw new FormatException(error);

    /// <summary>Formats bytes for people: <c>512 B</c>, <c>1.5 KB</c>, <c>200.0 MB</c> (binary multiples).</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
