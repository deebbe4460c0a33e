using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CaptureActors.Protocol;

/// <summary>
/// Parses and formats durations such as <c>30s</c>, <c>10m</c>, <c>1h30m</c>, <c>2d</c> or <c>500ms</c>.
/// A bare number is seconds.
/// </summary>
public static partial class DurationText
{
    private const string Allowed = "a positive duration made of numbers with units ms, s, m, h, d, e.g. 30s, 10m, 1h30m (a bare number is seconds)";

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)(?<u>ms|s|m|h|d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PartPattern();

    [GeneratedRegex(@"^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WholePattern();

    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"duration is empty: expected {Allowed}";
            return false;
        }

        var trimmed = text.Trim();
        double totalSeconds;
        if (double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bare))
        {
            totalSeconds = bare;
        }
        else if (WholePattern().IsMatch(trimmed))
        {
            totalSeconds = 0;
            foreach (Match part in PartPattern().Matches(trimmed))
            {
                var n = double.Parse(part.Groups["n"].Value, CultureInfo.InvariantCulture);
                totalSeconds += part.Groups["u"].Value.ToLowerInvariant() switch
                {
                    "ms" => n / 1000,
                    "s" => n,
                    "m" => n * 60,
                    "h" => n * 3600,
                    _ => n * 86400,
                };
            }
        }
        else
        {
            error = $"'{text}' is not a duration: expected {Allowed}";
            return false;
        }

        if (totalSeconds <= 0)
        {
            error = $"duration '{text}' must be greater than zero";
            return false;
        }

        if (totalSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            error = $"duration '{text}' is too long";
            return false;
        }

        duration = TimeSpan.FromSeconds(totalSeconds);
        error = "";
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    /// <summary>Formats as the parser reads it back: <c>1h30m</c>, <c>45s</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1) && duration > TimeSpan.Zero)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMilliseconds}ms");
        }

        var text = new StringBuilder();
        if (duration.Days > 0) text.Append(CultureInfo.InvariantCulture, $"{duration.Days}d");
        if (duration.Hours > 0) text.Append(CultureInfo.InvariantCulture, $"{duration.Hours}h");
        if (duration.Minutes > 0) text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        if (duration.Seconds > 0 || text.Length == 0) text.Append(CultureInfo.InvariantCulture, $"{duration.Seconds}s");
        return text.ToString();
    }
}
