using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace CaptureActors.Web.Access;

/// <summary>
/// When a credential is configured, every request must carry it: <c>Authorization: Bearer TOKEN</c>, basic auth, or the
/// session cookie the token login form sets. Anything else gets 401 (a browser asking for a page gets the login form
/// with it, or its own basic auth prompt). Comparisons take constant time.
/// </summary>
public sealed class CredentialCheck(WebServerOptions options)
{
    public const string CookieName = "capture-session";
    public const string LoginPath = "/login";

    /// <summary>The cookie's value: a hash of the token, so the token itself is never stored in the browser.</summary>
    private readonly HostRule _hosts = new(options);

    private readonly byte[]? _session = options.Token is { } token ? SHA256.HashData(Encoding.UTF8.GetBytes("capture-session:" + token)) : null;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!options.RequiresCredential || IsAuthorized(context.Request, out _))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (options.Token is not null && context.Request.Path == LoginPath && HttpMethods.IsPost(context.Request.Method))
        {
            await LoginAsync(context).ConfigureAwait(false);
            return;
        }

        await RefuseAsync(context, "this page needs a credential").ConfigureAwait(false);
    }

    /// <summary>True when the request carries the configured credential; <paramref name="user"/> is the basic auth user.</summary>
    public bool IsAuthorized(HttpRequest request, out string? user)
    {
        user = null;
        var header = request.Headers.Authorization.ToString();
        if (options.Token is { } token && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && Same(header["Bearer ".Length..].Trim(), token))
        {
            return true;
        }

        if (options.Basic is { } basic && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && Same(decoded[..colon], basic.User) & Same(decoded[(colon + 1)..], basic.Password))
            {
                user = basic.User;
                return true;
            }
        }

        if (_session is not null && request.Cookies.TryGetValue(CookieName, out var cookie))
        {
            try
            {
                return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(cookie), _session);
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return false;
    }

    private async Task LoginAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (!CrossSiteGuard.IsSameOrigin(context.Request, _hosts) || !Same(form["token"].ToString(), options.Token!))
        {
            await RefuseAsync(context, "wrong token").ConfigureAwait(false);
            return;
        }

        context.Response.Cookies.Append(CookieName, Convert.ToHexString(_session!), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
        context.Response.Redirect("/", permanent: false);
    }

    private async Task RefuseAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (options.Basic is not null)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"capturectl\", charset=\"UTF-8\"";
        }
        else
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"capturectl\"";
        }

        var wantsPage = HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
        if (wantsPage && options.Token is not null)
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(StaticAssets.LoginPage(reason), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(new Api.ErrorView($"401 unauthorized: {reason} (Authorization: Bearer TOKEN or basic auth)", "unauthorized"), context.RequestAborted).ConfigureAwait(false);
    }

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
