using System.Text.Json;
using CaptureActors.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CaptureActors.Web.Api;

/// <summary>A JSON request body of the API: what it looks like (for refusals) and the first part of it that is wrong.</summary>
public interface IRequestBody
{
    /// <summary>The body's shape as an example, e.g. <c>{"nodes":["node1"]}</c>, quoted in every refusal.</summary>
    static abstract string Shape { get; }

    /// <summary>The first missing or null part that the endpoint needs (by its JSON path, e.g. <c>settings</c>, <c>nodes[1]</c>); null: none.</summary>
    BodyProblem? Problem();
}

/// <summary>What is wrong in a request body: its JSON path and why.</summary>
public sealed record BodyProblem(string Field, string Message);

/// <summary>
/// Reads the API's JSON bodies: at most <see cref="MaxBytes"/> (413 beyond, whether Content-Length says so or the bytes
/// do), JSON by content type (415), the endpoint's shape (400 naming the field: missing, null or of the wrong type).
/// Never a 500 for what a client sent.
/// </summary>
public static class JsonBody
{
    /// <summary>The largest body of any endpoint (and Kestrel's limit for every request): ample for a form and many nodes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>How much of a too-large body is read (and dropped) before the 413, so the client can read it.</summary>
    public const int DrainBytes = 4 * 1024 * 1024;

    public static async Task<T> ReadAsync<T>(HttpContext context)
        where T : class, IRequestBody
    {
        var request = context.Request;
        var what = $"{request.Method} {request.Path}";

        // Kestrel's limit is raised to the drain bound for this request only; MaxBytes is counted here.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = DrainBytes;
        }

        var buffer = new byte[MaxBytes + 1];
        if (request.ContentLength > MaxBytes)
        {
            await DrainAsync(request, buffer, context.RequestAborted).ConfigureAwait(false);
            throw TooLarge(what, $"{request.ContentLength} bytes");
        }

        int read;
        try
        {
            read = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(what, "more");
        }

        if (read > MaxBytes)
        {
            await DrainAsync(request, buffer, context.RequestAborted).ConfigureAwait(false);
            throw TooLarge(what, "more");
        }

        if (read == 0)
        {
            throw new WebFailure($"{what} needs a JSON body: {T.Shape}", ErrorCode.InvalidArgument, StatusCodes.Status400BadRequest, "body");
        }

        if (!request.HasJsonContentType())
        {
            throw new WebFailure(
                $"{what} takes JSON (Content-Type: application/json), not '{Quoted(request.ContentType)}': {T.Shape}",
                ErrorCode.InvalidArgument,
                StatusCodes.Status415UnsupportedMediaType,
                "body");
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        T? body;
        try
        {
            body = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, read), options);
        }
        catch (JsonException e)
        {
            var field = e.Path is null or "$" ? "body" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path.TrimStart('$');
            // The serializer's words name .NET types; a client needs the field and the shape. Syntax errors keep their words.
            var reason = e.Message.Split(" Path: ", 2)[0].Split(" LineNumber: ", 2)[0].TrimEnd('.', ' ', '|');
            var wrong = reason.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? $"'{field}' has the wrong type"
                : $"it is not valid JSON at '{field}' ({reason})";
            throw new WebFailure(
                $"the body of {what}: {wrong}: expected {T.Shape}", ErrorCode.InvalidArgument, StatusCodes.Status400BadRequest, field);
        }

        if (body is null)
        {
            throw new WebFailure($"the body of {what} is null: expected {T.Shape}", ErrorCode.InvalidArgument, StatusCodes.Status400BadRequest, "body");
        }

        if (body.Problem() is { } problem)
        {
            throw new WebFailure($"the body of {what}: {problem.Message}", ErrorCode.InvalidArgument, StatusCodes.Status400BadRequest, problem.Field);
        }

        return body;
    }

    /// <summary>
    /// Reads and drops the rest of a body that is too large, up to <see cref="DrainBytes"/> in all, so that a client that
    /// sends its whole body before reading the answer (most do, HttpClient among them) gets the 413 instead of a broken
    /// pipe. Beyond the bound the connection is closed after the answer.
    /// </summary>
    private static async Task DrainAsync(HttpRequest request, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // Over the drain bound (or a broken body): answer anyway; Kestrel closes the connection.
        }
    }

    private static WebFailure TooLarge(string what, string size) =>
        new($"the body of {what} is too large ({size}): at most {MaxBytes / 1024} KiB", ErrorCode.InvalidArgument, StatusCodes.Status413PayloadTooLarge, "body");

    private static string Quoted(string? contentType) => Access.HostRule.Shown(contentType ?? "none");
}
