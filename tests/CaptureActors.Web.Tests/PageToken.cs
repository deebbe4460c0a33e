using System.Text.RegularExpressions;

namespace CaptureActors.Web.Tests;

/// <summary>The page's anti-forgery token, as its meta tag carries it.</summary>
internal static partial class PageToken
{
    [GeneratedRegex("<meta name=\"csrf-token\" content=\"(?<token>[0-9a-f]+)\">", RegexOptions.CultureInvariant)]
    private static partial Regex CsrfMeta();

    public static async Task<string> ReadAsync(HttpClient http) => CsrfMeta().Match(await http.GetStringAsync(new Uri("/", UriKind.Relative))).Groups["token"].Value;
}
