using System.Globalization;
using System.Text.Json;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Rendering;

/// <summary>Small formatting helpers shared by the renderers.</summary>
public static class TextFormat
{
    public static string State(CaptureState state) => JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());

    public static string State(CaptureFileState state) => JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());

    public static string Elapsed(TimeSpan elapsed) =>
        elapsed.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours}:{elapsed.Minutes:00}:{elapsed.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{elapsed.Minutes:00}:{elapsed.Seconds:00}");

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Settings(CaptureSettings settings) => string.Join(
        ", ",
        $"interfaces {string.Join(",", settings.Interfaces)}",
        $"filter '{settings.Filter}'",
        $"max size {(settings.MaxFileSizeBytes is { } size ? ByteSize.Format(size) : "none")}",
        $"duration {(settings.MaxDuration is { } duration ? DurationText.Format(duration) : "none")}",
        $"ring {(settings.RingFiles?.ToString(CultureInfo.InvariantCulture) ?? "none")}");
}
