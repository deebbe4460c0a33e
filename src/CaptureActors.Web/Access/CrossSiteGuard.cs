using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace CaptureActors.Web.Access;

/// <summary>
/// Cross-site requests. Any request whose <c>Origin</c> is not this server (scheme, one of its names, its port: the
/// <see cref="HostRule"/>) is refused, reads included. A request that changes something (any method but GET/HEAD) must
/// moreover come from the page itself: it must carry the anti-forgery token the page was served with (header
/// <see cref="HeaderName"/>, which another site's form cannot set and its script cannot read), and when the browser
/// says where it comes from (<c>Origin</c>, else <c>Referer</c>; <c>Sec-Fetch-Site</c>), that must be this server.
/// Refusals are 403 with the reason.
/// </summary>
public sealed class CrossSiteGuard(HostRule hosts)
{
    public const string HeaderName = "X-Capture-Csrf";

    private readonly byte[] _token = RandomNumberGenerator.GetBytes(32);

    /// <summary>The anti-forgery token of this server's life, given to the page in a meta tag.</summary>
    public string Token => Convert.ToHexStringLower(_token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var reads = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var origin = request.Headers.Origin.ToString();
        var refusal = origin.Length > 0 && !hosts.IsOwnOrigin(origin, context.Connection)
            ? $"the request comes from another site (Origin '{HostRule.Shown(origin)}' is not this server: {hosts.Describe(context.Connection)})"
            : reads
                ? null
                : !IsSameOrigin(request, hosts)
                    ? "the request comes from another site"
                    : !HasToken(request)
                        ? $"the request lacks the page's anti-forgery token (header {HeaderName}); reload the page"
                        : null;
        if (refusal is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsJsonAsync(new Api.ErrorView($"403 forbidden: {refusal}", "cross-site"), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// False when the browser says the request comes from elsewhere than this server: <c>Sec-Fetch-Site</c> other than
    /// same-origin or none, or an <c>Origin</c> (without one, a <c>Referer</c>) that <paramref name="hosts"/> does not own.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request, HostRule hosts)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        var from = origin.Length > 0 ? origin : request.Headers.Referer.ToString();
        return from.Length == 0 || hosts.IsOwnOrigin(from, request.HttpContext.Connection);
    }

    private bool HasToken(HttpRequest request)
    {
        var given = request.Headers[HeaderName].ToString();
        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(Token)));
    }
}
