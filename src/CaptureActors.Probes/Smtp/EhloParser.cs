using System.Globalization;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Smtp;

/// <summary>Reads the extensions of an EHLO reply (RFC 5321 §4.1.1.1; SIZE RFC 1870, AUTH RFC 4954, STARTTLS RFC 3207 ...).</summary>
public static class EhloParser
{
    public static SmtpCapabilities Parse(SmtpReply reply)
    {
        var greeting = reply.Lines.Count > 0 ? reply.Lines[0] : "";
        var extensions = reply.Lines.Skip(1).Where(l => l.Length > 0).ToList();
        var keywords = extensions
            .Select(l => l.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length > 0)
            .ToLookup(parts => parts[0].ToUpperInvariant(), parts => parts.Length > 1 ? parts[1] : "");

        long? size = null;
        if (keywords["SIZE"].FirstOrDefault() is { } sizeText
            && long.TryParse(sizeText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            size = parsed;
        }

        // "AUTH=LOGIN PLAIN" is the pre-standard form some servers still send beside AUTH.
        var auth = keywords["AUTH"]
            .Concat(extensions.Where(l => l.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase)).Select(l => l[5..]))
            .SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(m => m.ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();

        return new SmtpCapabilities(
            greeting,
            extensions,
            keywords.Contains("STARTTLS"),
            size,
            keywords.Contains("8BITMIME"),
            keywords.Contains("PIPELINING"),
            keywords.Contains("SMTPUTF8"),
            keywords.Contains("ENHANCEDSTATUSCODES"),
            keywords.Contains("CHUNKING"),
            keywords.Contains("DSN"),
            auth);
    }
}
