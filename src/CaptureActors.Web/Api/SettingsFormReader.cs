using System.Globalization;
using CaptureActors.Protocol;

namespace CaptureActors.Web.Api;

/// <summary>
/// Turns the settings form into <see cref="CaptureOptions"/>: an empty size, duration or ring keeps the node's stored
/// setting, <c>none</c> removes that limit (as capturectl's <c>--max-size none</c>); the filter is taken as typed (the
/// node's libpcap checks it). Problems are collected per field, each saying what is allowed.
/// </summary>
public static class SettingsFormReader
{
    /// <summary>The word that removes a limit, in every field that has one.</summary>
    public const string None = "none";

    public static CaptureOptions Read(SettingsForm form, IReadOnlyList<string>? interfaces, Dictionary<string, List<string>> problems)
    {
        long? maxSize = null;
        var noMaxSize = IsNone(form.MaxSize);
        if (!noMaxSize && !string.IsNullOrWhiteSpace(form.MaxSize))
        {
            if (ByteSize.TryParse(form.MaxSize, out var bytes, out var error))
            {
                maxSize = bytes;
            }
            else
            {
                Add(problems, "maxSize", $"{error}, or 'none' for no limit (empty: the node's setting)");
            }
        }

        TimeSpan? duration = null;
        var noDuration = IsNone(form.Duration);
        if (!noDuration && !string.IsNullOrWhiteSpace(form.Duration))
        {
            if (DurationText.TryParse(form.Duration, out var parsed, out var error))
            {
                duration = parsed;
            }
            else
            {
                Add(problems, "duration", $"{error}, or 'none' until stopped (empty: the node's setting)");
            }
        }

        int? ring = null;
        var noRing = IsNone(form.Ring);
        if (!noRing && !string.IsNullOrWhiteSpace(form.Ring))
        {
            if (int.TryParse(form.Ring.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var files))
            {
                ring = files;
            }
            else
            {
                Add(problems, "ring", $"'{form.Ring}' is not a number of files: expected a whole number from 2 to {CaptureSettings.MaxRingFiles}, 'none' for no ring, or empty for the node's setting");
            }
        }

        var chosen = interfaces ?? form.Interfaces;
        if (chosen is { Count: 0 })
        {
            Add(problems, "interfaces", "no interface chosen: tick one or more interfaces, or 'any'");
        }

        var options = new CaptureOptions(
            Interfaces: chosen,
            Filter: form.Filter?.Trim() ?? "",
            MaxFileSizeBytes: maxSize,
            MaxDuration: duration,
            RingFiles: ring,
            NoMaxFileSize: noMaxSize,
            NoMaxDuration: noDuration,
            NoRing: noRing);

        // The node checks again (with libpcap for the filter); here the form gets its range errors next to each field.
        var settings = CaptureSettings.Default.With(options);
        foreach (var problem in settings.Validate())
        {
            Add(problems, FieldOf(problem), problem);
        }

        return options;
    }

    /// <summary>The form field a node's refusal belongs to, by its error code (or the wording of a settings problem).</summary>
    public static string? FieldOf(ErrorCode? code, string message) => code switch
    {
        ErrorCode.InvalidFilter => "filter",
        ErrorCode.UnknownInterface => "interfaces",
        ErrorCode.InvalidSettings => FieldOf(message),
        _ => null,
    };

    private static string FieldOf(string problem) =>
        problem.Contains("filter", StringComparison.OrdinalIgnoreCase) ? "filter"
        : problem.Contains("interface", StringComparison.OrdinalIgnoreCase) || problem.Contains("'any'", StringComparison.Ordinal) ? "interfaces"
        : problem.Contains("ring", StringComparison.OrdinalIgnoreCase) ? "ring"
        : problem.Contains("size", StringComparison.OrdinalIgnoreCase) ? "maxSize"
        : problem.Contains("duration", StringComparison.OrdinalIgnoreCase) ? "duration"
        : "form";

    private static bool IsNone(string? text) => string.Equals(text?.Trim(), None, StringComparison.OrdinalIgnoreCase);

    public static void Add(Dictionary<string, List<string>> problems, string field, string message)
    {
        if (!problems.TryGetValue(field, out var list))
        {
            problems[field] = list = [];
        }

        list.Add(message);
    }
}
