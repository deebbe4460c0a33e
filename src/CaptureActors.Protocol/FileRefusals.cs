using System.Globalization;

namespace CaptureActors.Protocol;

/// <summary>
/// The refusals a node sends back for a file command (<see cref="FilesDeleted"/>, <see cref="FilesKept"/>), bounded:
/// one refusal per name for the first <see cref="MaxListed"/> (or fewer when their text passes
/// <see cref="MaxListedCharacters"/>), then one refusal without a name that counts the rest ("and 9,990 more names
/// refused"). A request may name thousands of files; its reply must still fit Akka.Remote's frame.
/// </summary>
public static class FileRefusals
{
    public const int MaxListed = 100;
    public const int MaxListedCharacters = 32 * 1024;

    /// <summary><paramref name="refusals"/> as they are when within the bounds, else the first ones and a count of the rest.</summary>
    public static IReadOnlyList<FileRefusal> Bounded(IReadOnlyList<FileRefusal> refusals)
    {
        ArgumentNullException.ThrowIfNull(refusals);
        var listed = new List<FileRefusal>();
        var characters = 0;
        foreach (var refusal in refusals)
        {
            characters += refusal.Name.Length + refusal.Message.Length;
            if (listed.Count == MaxListed || characters > MaxListedCharacters)
            {
                break;
            }

            listed.Add(refusal);
        }

        if (listed.Count == refusals.Count)
        {
            return refusals;
        }

        var rest = refusals.Skip(listed.Count).ToList();
        var code = rest.GroupBy(r => r.Code).OrderByDescending(g => g.Count()).First().Key;
        listed.Add(new FileRefusal(
            "",
            code,
            string.Create(CultureInfo.InvariantCulture, $"and {rest.Count:N0} more names refused (not listed: a reply lists at most {MaxListed} refusals, {MaxListedCharacters / 1024} KiB of text)")));
        return listed;
    }
}
