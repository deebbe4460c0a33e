using Microsoft.AspNetCore.Http;

namespace CaptureActors.Web.Access;

/// <summary>
/// First in the pipeline: a request whose <c>Host</c> is not one of this server's names (<see cref="HostRule"/>) is
/// answered 421 Misdirected Request (400 when Host is missing or malformed) with a plain-text reason, before any other
/// middleware or handler: no page, no anti-forgery token, no API answer, no file.
/// </summary>
public sealed class HostGuard(HostRule rule)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (rule.CheckHost(context.Request.Host.Value ?? "", context.Connection) is not { } refusal)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = refusal.Status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(refusal.Message + "\n", context.RequestAborted).ConfigureAwait(false);
    }
}
