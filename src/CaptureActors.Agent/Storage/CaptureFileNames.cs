using System.Globalization;
using System.Text.RegularExpressions;

namespace CaptureActors.Agent.Storage;

/// <summary>
/// File names of a node's capture directory (design.md §5):
/// <c>&lt;node&gt;_&lt;iface&gt;_&lt;yyyyMMddTHHmmssZ&gt;_&lt;seq&gt;.pcap</c> and one sidecar
/// <c>&lt;node&gt;_&lt;yyyyMMddTHHmmssZ&gt;_&lt;captureId&gt;.capture.json</c> per capture.
/// Only letters, digits, '.', '-' appear inside a part; '_' separates parts.
/// </summary>
public static partial class CaptureFileNames
{
    public const string PcapExtension = ".pcap";
    public const string SidecarExtension = ".capture.json";
    public const string Example = "node1_eth0_20261124T101500Z_001.pcap";

    [GeneratedRegex(@"^(?<node>[A-Za-z0-9.\-]+)_(?<iface>[A-Za-z0-9.\-]+)_(?<ts>\d{8}T\d{6}Z)_(?<seq>\d{3,6})\.pcap$", RegexOptions.CultureInvariant)]
    private static partial Regex PcapNamePattern();

    [GeneratedRegex(@"[^A-Za-z0-9.\-]", RegexOptions.CultureInvariant)]
    private static partial Regex UnsafeCharacter();

    /// <summary>A name part with every character outside [A-Za-z0-9.-] replaced by '-'; never empty, never '.' or '..'.</summary>
    public static string SafePart(string text)
    {
        var safe = UnsafeCharacter().Replace(text, "-").Trim('.');
        return safe.Length == 0 ? "-" : safe;
    }

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static string Pcap(string node, string iface, DateTimeOffset startedAt, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{FilePrefix(node, iface, startedAt)}{sequence:000}{PcapExtension}");

    /// <summary>The part every file of one interface of one capture starts with.</summary>
    public static string FilePrefix(string node, string iface, DateTimeOffset startedAt) =>
        $"{SafePart(node)}_{SafePart(iface)}_{Timestamp(startedAt)}_";

    public static string Sidecar(string node, DateTimeOffset startedAt, string captureId) =>
        $"{SafePart(node)}_{Timestamp(startedAt)}_{SafePart(captureId)}{SidecarExtension}";

    /// <summary>True for a name this store could have made: no directory part, no '..', our pattern.</summary>
    public static bool IsCaptureFileName(string name) => PcapNamePattern().IsMatch(name);

    /// <summary>The interface part of a capture file name, or null when the name is not one of ours.</summary>
    public static string? InterfaceOf(string name)
    {
        var match = PcapNamePattern().Match(name);
        return match.Success ? match.Groups["iface"].Value : null;
    }

    /// <summary>The sequence number of a capture file name, or 0 when the name is not one of ours.</summary>
    public static int SequenceOf(string name)
    {
        var match = PcapNamePattern().Match(name);
        return match.Success ? int.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>
    /// The first sequence number free for <paramref name="prefix"/> in <paramref name="directory"/>: two captures started
    /// in the same second never share a file.
    /// </summary>
    public static int FirstFreeSequence(string directory, string prefix)
    {
        var highest = 0;
        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, prefix + "*" + PcapExtension))
            {
                highest = Math.Max(highest, SequenceOf(Path.GetFileName(path)));
            }
        }

        return highest + 1;
    }
}
