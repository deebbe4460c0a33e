using System.Text.RegularExpressions;

namespace CaptureActors.Protocol;

/// <summary>
/// The complete settings of one capture (design.md §4). A node stores its defaults (<c>packetcapture setup</c>);
/// each start applies <see cref="CaptureOptions"/> over them.
/// </summary>
/// <param name="Interfaces">One or more interface names, or <c>any</c>.</param>
/// <param name="Filter">BPF filter in tcpdump syntax; empty captures everything.</param>
/// <param name="SnapLength">Bytes kept of each packet.</param>
/// <param name="MaxFileSizeBytes">Size of one file; reached: rotate (ring) or stop with <c>size-reached</c>. Null: no limit.</param>
/// <param name="MaxDuration">The capture stops with <c>duration-reached</c> after this long. Null: until stopped.</param>
/// <param name="RingFiles">Keep this many files per interface, deleting the oldest. Null: stop at the size limit.</param>
/// <param name="Promiscuous">Put the interfaces in promiscuous mode, as tcpdump does by default.</param>
public sealed partial record CaptureSettings(
    IReadOnlyList<string> Interfaces,
    string Filter,
    int SnapLength,
    long? MaxFileSizeBytes,
    TimeSpan? MaxDuration,
    int? RingFiles,
    bool Promiscuous)
{
    public const int MaxSnapLength = 262144;
    public const long MinFileSizeBytes = 4096;
    public const long MaxFileSizeLimit = 1L << 40;
    public static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDurationLimit = TimeSpan.FromDays(30);
    public const int MaxRingFiles = 10000;
    public const int MaxFilterLength = 4096;

    /// <summary>Defaults of a new node: all interfaces, no filter, full packets, 200 MB files, no duration limit.</summary>
    public static readonly CaptureSettings Default = new(["any"], "", MaxSnapLength, 200L << 20, null, null, true);

    [GeneratedRegex(@"^[A-Za-z0-9_.:@\-]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex InterfaceNamePattern();

    /// <summary>True when <paramref name="name"/> could be a Linux interface name (1–15 safe characters).</summary>
    public static bool IsPlausibleInterfaceName(string name) => InterfaceNamePattern().IsMatch(name);

    /// <summary>
    /// THE check of a filter before libpcap sees it (console, page and agent all call it): its length, and no control
    /// character. libpcap gets the filter as a C string, so a NUL would cut it short and the capture would run a
    /// different filter than the one shown in status and the audit log; other control characters (ESC, backspace, C1)
    /// would make the filter print as something it is not. Tab, newline and carriage return are allowed: libpcap's
    /// lexer reads them as blanks, as in a filter file of tcpdump -F, so what it compiles is what was written.
    /// An unpaired surrogate (text that is not Unicode) is refused too. Null when the filter may go to libpcap.
    /// </summary>
    public static string? FilterProblem(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Length > MaxFilterLength)
        {
            return $"filter is {filter.Length} characters long: at most {MaxFilterLength} are allowed";
        }

        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            if (c is '\t' or '\n' or '\r')
            {
                continue;
            }

            if (char.IsControl(c))
            {
                return $"filter has a control character U+{(int)c:X4} at position {i + 1}: not allowed (only tab, newline and carriage return, which libpcap reads as spaces)";
            }

            if (char.IsHighSurrogate(c) && i + 1 < filter.Length && char.IsLowSurrogate(filter[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"filter has an unpaired surrogate U+{(int)c:X4} at position {i + 1}: not allowed (a filter is Unicode text)";
            }
        }

        return null;
    }

    /// <summary>These settings with <paramref name="options"/> applied over them.</summary>
    public CaptureSettings With(CaptureOptions options) => new(
        options.Interfaces is { Count: > 0 } interfaces ? interfaces : Interfaces,
        options.Filter ?? Filter,
        options.SnapLength ?? SnapLength,
        options.NoMaxFileSize ? null : options.MaxFileSizeBytes ?? MaxFileSizeBytes,
        options.NoMaxDuration ? null : options.MaxDuration ?? MaxDuration,
        options.NoRing ? null : options.RingFiles ?? RingFiles,
        options.Promiscuous ?? Promiscuous);

    /// <summary>Every problem with these settings, each saying what is wrong and what is allowed. Empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Interfaces.Count == 0)
        {
            problems.Add("no interface given: name one or more interfaces, or 'any'");
        }

        // Each name is echoed shortened, and at most TextBounds.ListedItems of them: a refusal stays small.
        var invalid = Interfaces.Where(name => !IsPlausibleInterfaceName(name)).ToList();
        foreach (var name in invalid.Take(TextBounds.ListedItems))
        {
            problems.Add($"interface name {TextBounds.Quote(name)} is not valid: 1 to 15 characters of letters, digits and . _ - : @");
        }

        if (invalid.Count > TextBounds.ListedItems)
        {
            problems.Add($"{invalid.Count - TextBounds.ListedItems:N0} more interface names are not valid");
        }

        var duplicates = Interfaces.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => TextBounds.Escaped(TextBounds.Bounded(g.Key))).ToList();
        if (duplicates.Count > 0)
        {
            problems.Add($"interface named more than once: {TextBounds.Listed(duplicates)}");
        }

        if (Interfaces.Count > 1 && Interfaces.Contains("any"))
        {
            problems.Add("'any' already captures every interface: give 'any' alone or a list of interfaces");
        }

        if (FilterProblem(Filter) is { } filterProblem)
        {
            problems.Add(filterProblem);
        }

        if (SnapLength is < 1 or > MaxSnapLength)
        {
            problems.Add($"snap length {SnapLength} is out of range: 1 to {MaxSnapLength} bytes");
        }

        if (MaxFileSizeBytes is { } size && (size < MinFileSizeBytes || size > MaxFileSizeLimit))
        {
            problems.Add($"max file size {ByteSize.Format(size)} is out of range: {ByteSize.Format(MinFileSizeBytes)} to {ByteSize.Format(MaxFileSizeLimit)}");
        }

        if (MaxDuration is { } duration && (duration < MinDuration || duration > MaxDurationLimit))
        {
            problems.Add($"duration {DurationText.Format(duration)} is out of range: {DurationText.Format(MinDuration)} to {DurationText.Format(MaxDurationLimit)}");
        }

        if (RingFiles is { } ring)
        {
            if (ring is < 2 or > MaxRingFiles)
            {
                problems.Add($"ring of {ring} files is out of range: 2 to {MaxRingFiles} files");
            }

            if (MaxFileSizeBytes is null)
            {
                problems.Add("a ring needs a max file size to know when to start the next file: give --max-size");
            }
        }

        return problems;
    }
}

/// <summary>
/// Per-start (or per-setup) changes to a node's stored <see cref="CaptureSettings"/>. Null leaves a setting as stored;
/// the <c>No…</c> flags remove a limit.
/// </summary>
public sealed record CaptureOptions(
    IReadOnlyList<string>? Interfaces = null,
    string? Filter = null,
    int? SnapLength = null,
    long? MaxFileSizeBytes = null,
    TimeSpan? MaxDuration = null,
    int? RingFiles = null,
    bool? Promiscuous = null,
    bool NoMaxFileSize = false,
    bool NoMaxDuration = false,
    bool NoRing = false)
{
    public static readonly CaptureOptions None = new();
}

/// <summary>Who started a capture: shown in status and in the rejection of a second start.</summary>
/// <param name="User">Login name of the person or service.</param>
/// <param name="Host">Machine the console runs on.</param>
/// <param name="ProcessId">Process id of the console.</param>
/// <param name="Client">What started it: <c>capturectl</c>, <c>shell</c>, <c>web</c>.</param>
public sealed record CaptureOwner(string User, string Host, int ProcessId, string Client)
{
    public override string ToString() => $"{User}@{Host} ({Client}, pid {ProcessId})";

    public static CaptureOwner OfThisProcess(string client) =>
        new(Environment.UserName, Environment.MachineName, Environment.ProcessId, client);
}
