using System.CommandLine;
using System.Globalization;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary>
/// The capture settings options shared by <c>start</c> and <c>setup</c>, and their conversion into
/// <see cref="CaptureOptions"/> with specific messages for bad values (exit 2).
/// </summary>
public sealed class SettingsOptions
{
    public const string None = "none";

    public Option<string[]> Interfaces { get; } = new("--interface", "-i")
    {
        Description = "Interface to capture on (repeat for several, or 'any')",
        HelpName = "IFACE",
    };

    public Option<string?> Filter { get; } = new("--filter", "-f")
    {
        Description = "BPF filter in tcpdump syntax, e.g. 'tcp port 25 and host 10.1.1.1'",
        HelpName = "BPF",
    };

    public Option<string?> MaxSize { get; } = new("--max-size")
    {
        Description = "Size of one file, e.g. 200MB ('none': no limit)",
        HelpName = "SIZE",
    };

    public Option<string?> Duration { get; } = new("--duration")
    {
        Description = "Stop after this long, e.g. 30s, 10m, 1h30m ('none': until stopped)",
        HelpName = "DURATION",
    };

    public Option<string?> Ring { get; } = new("--ring")
    {
        Description = "Keep a ring of N files per interface, deleting the oldest ('none': stop at the size limit)",
        HelpName = "N",
    };

    public Option<string?> SnapLength { get; } = new("--snaplen")
    {
        Description = $"Bytes kept of each packet (1 to {CaptureSettings.MaxSnapLength})",
        HelpName = "N",
    };

    public Option<bool> NoPromiscuous { get; } = new("--no-promisc")
    {
        Description = "Do not put the interfaces in promiscuous mode",
    };

    public Option<bool> Promiscuous { get; } = new("--promisc")
    {
        Description = "Put the interfaces in promiscuous mode (the default)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Interfaces);
        command.Options.Add(Filter);
        command.Options.Add(MaxSize);
        command.Options.Add(Duration);
        command.Options.Add(Ring);
        command.Options.Add(SnapLength);
        command.Options.Add(NoPromiscuous);
        command.Options.Add(Promiscuous);
    }

    /// <summary>True when no setting option was given.</summary>
    public bool NoneGiven(ParseResult parseResult) =>
        new Option[] { Interfaces, Filter, MaxSize, Duration, Ring, SnapLength, NoPromiscuous, Promiscuous }
            .All(option => parseResult.GetResult(option) is null or { Implicit: true });

    /// <summary>
    /// The options given, as changes to the stored setup. Throws <see cref="UsageException"/> naming every bad value;
    /// ranges are checked with <see cref="CaptureSettings.Validate"/> over the defaults.
    /// </summary>
    public CaptureOptions Bind(ParseResult parseResult)
    {
        var problems = new List<string>();
        var interfaces = parseResult.GetValue(Interfaces) is { Length: > 0 } names
            ? names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : null;
        if (interfaces is { Count: 0 })
        {
            // -i "" or -i "," would otherwise fall back to the stored interfaces, silently capturing somewhere else.
            problems.Add($"--interface: '{string.Join("' '", parseResult.GetValue(Interfaces)!)}' names no interface: give one or more names (see: capturectl interfaces), or 'any'");
        }

        long? maxSize = null;
        var noMaxSize = false;
        if (parseResult.GetValue(MaxSize) is { } sizeText)
        {
            if (IsNone(sizeText))
            {
                noMaxSize = true;
            }
            else if (ByteSize.TryParse(sizeText, out var bytes, out var error))
            {
                maxSize = bytes;
            }
            else
            {
                problems.Add($"--max-size: {error}");
            }
        }

        TimeSpan? duration = null;
        var noDuration = false;
        if (parseResult.GetValue(Duration) is { } durationText)
        {
            if (IsNone(durationText))
            {
                noDuration = true;
            }
            else if (DurationText.TryParse(durationText, out var parsed, out var error))
            {
                duration = parsed;
            }
            else
            {
                problems.Add($"--duration: {error}");
            }
        }

        int? ring = null;
        var noRing = false;
        if (parseResult.GetValue(Ring) is { } ringText)
        {
            if (IsNone(ringText))
            {
                noRing = true;
            }
            else if (int.TryParse(ringText, NumberStyles.None, CultureInfo.InvariantCulture, out var files))
            {
                ring = files;
            }
            else
            {
                problems.Add($"--ring: '{ringText}' is not a number of files: expected a whole number from 2 to {CaptureSettings.MaxRingFiles}, or 'none'");
            }
        }

        int? snapLength = null;
        if (parseResult.GetValue(SnapLength) is { } snapText)
        {
            if (int.TryParse(snapText, NumberStyles.None, CultureInfo.InvariantCulture, out var snap))
            {
                snapLength = snap;
            }
            else
            {
                problems.Add($"--snaplen: '{snapText}' is not a number of bytes: expected a whole number from 1 to {CaptureSettings.MaxSnapLength}");
            }
        }

        bool? promiscuous = null;
        var noPromisc = parseResult.GetValue(NoPromiscuous);
        var promisc = parseResult.GetValue(Promiscuous);
        if (noPromisc && promisc)
        {
            problems.Add("--promisc and --no-promisc contradict each other: give one");
        }
        else if (noPromisc || promisc)
        {
            promiscuous = promisc;
        }

        var options = new CaptureOptions(
            interfaces, parseResult.GetValue(Filter), snapLength, maxSize, duration, ring, promiscuous, noMaxSize, noDuration, noRing);

        if (problems.Count == 0)
        {
            // Ranges and combinations, in the protocol's own words. A ring over "no size limit" is judged by the agent,
            // which knows the stored setup; here only what the given values break.
            problems.AddRange(CaptureSettings.Default.With(options).Validate());
        }

        if (problems.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine, problems));
        }

        return options;
    }

    /// <summary>The setting options as given, to pass on to a re-executed capturectl.</summary>
    public IEnumerable<string> ToArguments(ParseResult parseResult)
    {
        foreach (var name in parseResult.GetValue(Interfaces) ?? [])
        {
            yield return "-i";
            yield return name;
        }

        foreach (var (option, value) in new (Option<string?>, string?)[]
                 {
                     (Filter, parseResult.GetValue(Filter)),
                     (MaxSize, parseResult.GetValue(MaxSize)),
                     (Duration, parseResult.GetValue(Duration)),
                     (Ring, parseResult.GetValue(Ring)),
                     (SnapLength, parseResult.GetValue(SnapLength)),
                 })
        {
            if (value is not null)
            {
                yield return option.Name;
                yield return value;
            }
        }

        if (parseResult.GetValue(NoPromiscuous))
        {
            yield return NoPromiscuous.Name;
        }

        if (parseResult.GetValue(Promiscuous))
        {
            yield return Promiscuous.Name;
        }
    }

    private static bool IsNone(string text) => string.Equals(text.Trim(), None, StringComparison.OrdinalIgnoreCase);
}
