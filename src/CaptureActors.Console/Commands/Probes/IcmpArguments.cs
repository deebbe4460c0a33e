using System.Globalization;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands.Probes;

/// <summary>Parsing of ping's and traceroute's option values, with a specific message for each bad one (exit 2).</summary>
internal static class IcmpArguments
{
    /// <summary>A whole number in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static int Integer(string option, string? text, int fallback, int min, int max, string what)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new UsageException($"{option}: '{text}' is not a whole number: {what} is {min} to {max}");
        }

        return value >= min && value <= max
            ? value
            : throw new UsageException($"{option}: {what} {value} is out of range: {min} to {max}");
    }

    /// <summary>Seconds (<c>0.5</c>) or a duration (<c>500ms</c>, <c>2s</c>) in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static TimeSpan Seconds(string option, string? text, TimeSpan fallback, TimeSpan min, TimeSpan max, string what, string? belowMinimum = null)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!DurationText.TryParse(text, out var value, out var error))
        {
            throw new UsageException($"{option}: {error}");
        }

        if (value < min)
        {
            throw new UsageException($"{option}: {what} {text.Trim()} is below the minimum of {Text(min)}{belowMinimum}");
        }

        return value <= max ? value : throw new UsageException($"{option}: {what} {text.Trim()} is above the maximum of {Text(max)}");
    }

    private static string Text(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###}s");
}
