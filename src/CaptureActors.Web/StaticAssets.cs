using System.Net;
using System.Reflection;

namespace CaptureActors.Web;

/// <summary>The page's files, embedded in this assembly (no CDN, no files beside the program): HTML, CSS, JS.</summary>
public static class StaticAssets
{
    public const string CsrfPlaceholder = "{{csrf-token}}";

    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>The text of an embedded asset, e.g. <c>index.html</c>; null when there is none of that name.</summary>
    public static string? Read(string name)
    {
        using var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream("wwwroot/" + name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(StaticAssets).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)).Select(n => n["wwwroot/".Length..])];

    public static string ContentType(string name) => Types.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");

    /// <summary>The page, with this server's anti-forgery token in its meta tag.</summary>
    public static string Page(string csrfToken) =>
        (Read("index.html") ?? throw new InvalidOperationException("index.html is not embedded")).Replace(CsrfPlaceholder, csrfToken, StringComparison.Ordinal);

    /// <summary>The token login form, answered with 401 to a browser without a credential.</summary>
    public static string LoginPage(string reason) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>capturectl: sign in</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/app.css"></head>
        <body><main class="login"><h1>Packet Capture</h1>
        <p role="alert">401: {{WebUtility.HtmlEncode(reason)}}. Enter the token of <code>capturectl serve --token-file</code>.</p>
        <form method="post" action="/login"><label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button></form></main></body></html>
        """;

    internal static Assembly Assembly => typeof(StaticAssets).Assembly;
}
