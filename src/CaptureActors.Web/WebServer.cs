using CaptureActors.Web.Access;
using CaptureActors.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaptureActors.Web;

/// <summary>
/// The page's HTTP server (Kestrel): the Host check first (DNS rebinding), then the credential check, then the
/// cross-site guard, then the page and its API. Bodies, headers and the request line are bounded. Logs warnings and
/// errors to stderr only.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    /// <summary>All request headers together: a browser sends 1-2 KiB (Kestrel's default is 32 KiB); beyond, 431.</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    public const int MaxHeaderCount = 64;

    /// <summary>Method, path and query: room for a merged download of about a hundred files.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    private readonly WebApplication _app;

    private WebServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the page is, with the port really bound (for <c>--listen HOST:0</c>).</summary>
    public Uri Address { get; }

    public static async Task<WebServer> StartAsync(WebServerOptions options, CaptureBoard board, CancellationToken cancellationToken)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(WebServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxHeaderBytes;
            kestrel.Limits.MaxRequestHeaderCount = MaxHeaderCount;
            kestrel.Limits.MaxRequestLineSize = MaxRequestLineBytes;
            kestrel.Listen(options.Listen, listen =>
            {
                if (options.Certificate is { } certificate)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.WriteIndented = false);

        var app = builder.Build();
        var hosts = new HostRule(options);
        var hostGuard = new HostGuard(hosts);
        var credentials = new CredentialCheck(options);
        var guard = new CrossSiteGuard(hosts);
        app.Use((context, next) => hostGuard.InvokeAsync(context, _ => next()));
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                // Kestrel's own limits met while a handler read (a sign-in form over the body limit): said, not a bare status.
                context.Response.StatusCode = e.StatusCode;
                await context.Response.WriteAsJsonAsync(new ErrorView($"{e.StatusCode}: {e.Message}", "bad-request"), context.RequestAborted).ConfigureAwait(false);
            }
        });
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            await next(context).ConfigureAwait(false);
        });
        app.Use((context, next) => credentials.InvokeAsync(context, _ => next()));
        app.Use((context, next) => guard.InvokeAsync(context, _ => next()));
        WebEndpoints.Map(app, board, guard, credentials);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the web server reported no address");
        return new WebServer(app, new Uri(bound.Replace("://[::]", "://[::1]", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
