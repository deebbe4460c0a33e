using System.Globalization;
using System.Net.Mime;
using CaptureActors.Protocol;
using CaptureActors.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaptureActors.Web.Api;

/// <summary>The page and its JSON API. Reads are GET; changes are POST (guarded against cross-site requests).</summary>
public static class WebEndpoints
{
    public static void Map(WebApplication app, CaptureBoard board, CrossSiteGuard guard, CredentialCheck credentials)
    {
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Content(StaticAssets.Page(guard.Token), "text/html; charset=utf-8");
        });
        foreach (var name in StaticAssets.Names.Where(n => n != "index.html"))
        {
            app.MapGet("/" + name, () => Results.Content(StaticAssets.Read(name), StaticAssets.ContentType(name)));
        }

        var api = app.MapGroup("/api");
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (WebFailure failure)
            {
                return Results.Json(new ErrorView(failure.Message, failure.Code is { } code ? Views.Kebab(code.ToString()) : null, failure.Field), statusCode: failure.Status);
            }
            catch (Exception e) when (e is not OperationCanceledException && !context.HttpContext.Response.HasStarted)
            {
                // Whatever else went wrong is said, not swallowed into an empty 500; the server and the nodes go on.
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CaptureActors.Web").LogError(e, "{Path} failed", context.HttpContext.Request.Path);
                return Results.Json(new ErrorView($"internal error: {e.Message}", "internal"), statusCode: 500);
            }
        });

        api.MapGet("/overview", board.OverviewAsync);
        api.MapGet("/nodes/{node}/interfaces", (string node) => board.InterfacesAsync(node));
        api.MapGet("/nodes/{node}/setup", (string node) => board.SetupAsync(node));
        // Bodies are read by JsonBody (bounded, each missing part named), not bound by the framework (whose null parts
        // reached the board as null references, and whose refusals had no text).
        api.MapPost("/setup", WithBody<SetupRequest, ActionResult>((request, _) => board.UpdateSetupAsync(request)));
        api.MapPost("/filter/check", WithBody<FilterCheckRequest, FilterCheckResult>((request, _) => board.CheckFilterAsync(request)));
        api.MapPost("/captures/start", WithBody<StartRequest, ActionResult>((request, context) =>
        {
            var owner = credentials.IsAuthorized(context.Request, out var user) && user is not null ? board.Owner with { User = user } : board.Owner;
            return new CaptureBoard(board.Connections, board.Transfer, owner).StartAsync(request);
        }));
        api.MapPost("/captures/stop", WithBody<NodesRequest, ActionResult>((request, _) => board.StopAsync(request)));
        api.MapGet("/files", board.FilesAsync);
        api.MapPost("/files/delete", WithBody<DeleteRequest, DeleteResult>((request, _) => board.DeleteAsync(request)));
        api.MapGet("/files/{node}/{name}", DownloadAsync);
        api.MapGet("/merged", MergedAsync);

        // Typed as Delegate so the minimal API serializes the result: a lambda taking only HttpContext and returning a
        // Task would bind as a RequestDelegate, whose result is dropped.
        static Delegate WithBody<TBody, TResult>(Func<TBody, HttpContext, Task<TResult>> handle)
            where TBody : class, IRequestBody =>
            async (HttpContext context) => await handle(await JsonBody.ReadAsync<TBody>(context).ConfigureAwait(false), context).ConfigureAwait(false);

        async Task<IResult> DownloadAsync(string node, string name, HttpContext context, ILoggerFactory loggers)
        {
            var (webNode, agent, file) = await board.FindFileAsync(node, name).ConfigureAwait(false);
            context.Response.ContentType = "application/vnd.tcpdump.pcap";
            context.Response.Headers.ContentDisposition = new ContentDisposition { FileName = file.Name }.ToString();
            if (file.State == CaptureFileState.Finished)
            {
                context.Response.ContentLength = file.SizeBytes;
            }

            try
            {
                await board.CopyFileAsync(webNode, agent, file, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebFailure or IOException && context.Response.HasStarted)
            {
                // Bytes went out already: the only honest thing left is to break the transfer, so the browser marks it failed.
                loggers.CreateLogger("CaptureActors.Web").LogWarning("download of {Node}/{Name} broke off: {Reason}", node, name, e.Message);
                context.Abort();
            }
            catch (WebFailure)
            {
                // Refused before the first byte (a role, a ticket): the error document replaces the file's headers, whose
                // Content-Length would otherwise cut or pad it.
                context.Response.ContentLength = null;
                context.Response.Headers.ContentDisposition = default;
                throw;
            }

            return Results.Empty;
        }

        async Task<IResult> MergedAsync(HttpContext context, CancellationToken cancellationToken)
        {
            var files = context.Request.Query["file"]
                .Select(f => f?.Split('/', 2) ?? [])
                .Select(parts => parts.Length == 2 ? new FileRef(parts[0], parts[1]) : throw new WebFailure("each 'file' must be NODE/NAME"))
                .ToList();
            var directory = Directory.CreateTempSubdirectory("capture-merge-").FullName;
            try
            {
                var (path, _) = await board.MergeAsync(files, directory, cancellationToken).ConfigureAwait(false);
                var name = string.Create(CultureInfo.InvariantCulture, $"merged_{DateTime.UtcNow:yyyyMMddTHHmmssZ}.pcapng");
                context.Response.ContentType = "application/x-pcapng";
                context.Response.Headers.ContentDisposition = new ContentDisposition { FileName = name }.ToString();
                await context.Response.SendFileAsync(path, cancellationToken).ConfigureAwait(false);
                return Results.Empty;
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
