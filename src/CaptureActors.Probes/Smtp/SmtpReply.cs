using System.Globalization;

namespace CaptureActors.Probes.Smtp;

/// <summary>One SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text.</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;

    /// <summary>The reply as a server would write it on one line: <c>550 5.1.1 &lt;x@y&gt;: Recipient address rejected</c>.</summary>
    public override string ToString() =>
        $"{Code.ToString(CultureInfo.InvariantCulture)} {string.Join(" / ", Lines.Where(l => l.Length > 0))}".TrimEnd();
}
