using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace CaptureActors.Web.Access;

/// <summary>
/// Cross-site request forgery: a request that changes something (any method but GET/HEAD) must come from the page
/// itself. It must carry the anti-forgery token the page was served with (header <see cref="HeaderName"/>, which
/// another site's form cannot set and its script cannot read), and when the browser says where it comes from
/// (<c>Origin</c>, <c>Sec-Fetch-Site</c>), that must be this very origin. Refusals are 403 with the reason.
/// </summary>
public sealed class CrossSiteGuard
{
    public const string HeaderName = "X-Capture-Csrf";

    private readonly byte[] _token = RandomNumberGenerator.GetBytes(32);

    /// <summary>The anti-forgery token of this server's life, given to the page in a meta tag.</summary>
    public string Token => Convert.ToHexStringLower(_token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var refusal = !IsSameOrigin(request)
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

    /// <summary>False when the browser says the request comes from another origin than this server's.</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private bool HasToken(HttpRequest request)
    {
        var given = request.Headers[HeaderName].ToString();
        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(Token)));
    }
}
