using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace CaptureActors.Protocol;

/// <summary>
/// The size limits of every request an agent accepts (design.md §6, "bounded strings and replies"), checked by the
/// agent's guardian on each request before anything handles it, so that no handler, refusal or audit line ever works
/// on (or repeats) a string of the frame's size. The check walks the request's properties, nested records of this
/// protocol included, so a new request is bounded the day it is added:
/// <list type="bullet">
/// <item>a file name (<c>Name</c>, <c>Names</c> of a file command): at most <see cref="MaxFileNameBytes"/> bytes of
/// UTF-8, as Linux allows (NAME_MAX); longer is refused as <see cref="ErrorCode.UnsafeFileName"/>;</item>
/// <item>ids (<c>ProbeId</c>, <c>CaptureId</c>): <see cref="MaxIdLength"/> characters; interface names:
/// <see cref="MaxInterfaces"/> of them in one capture;</item>
/// <item>a filter: not here but in <see cref="CaptureSettings.FilterProblem"/>, so the node answers a bad filter as
/// it answers every bad filter (a start's rejection, the filter check's verdict);</item>
/// <item>any other string: <see cref="MaxTextLength"/> characters; a list: <see cref="MaxItems"/> items; bytes:
/// <see cref="MaxBinaryBytes"/> (a certificate <see cref="MaxCertificateBytes"/>; the payload of an
/// <see cref="AuthorizedRequest"/> is bounded by the frame and its request is checked once read).</item>
/// </list>
/// A refusal names the request, the field (as the wire spells it) and the limit, and echoes at most the start of the
/// value (<see cref="TextBounds.Quote"/>).
/// </summary>
public static class RequestBounds
{
    public const int MaxFileNameBytes = 255;
    public const int MaxIdLength = 64;
    public const int MaxInterfaces = 256;
    public const int MaxTextLength = 1024;
    public const int MaxItems = 10_000;
    public const int MaxBinaryBytes = 1024;
    public const int MaxCertificateBytes = 16 * 1024;

    /// <summary>The first limit <paramref name="request"/> exceeds, or null when it is within every bound.</summary>
    public static BoundsProblem? Check(ICaptureProtocol request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = request.GetType();
        return CheckRecord(request, type.Name, "", request is IFileCommand);
    }

    private static BoundsProblem? CheckRecord(object record, string request, string prefix, bool fileCommand)
    {
        foreach (var property in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetValue(record) is not { } value)
            {
                continue;
            }

            var field = prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var problem = property.Name switch
            {
                "Filter" or "Payload" => null,
                "Name" or "Names" when fileCommand => CheckValue(value, request, field, FileName),
                "ProbeId" or "CaptureId" => CheckValue(value, request, field, Text(MaxIdLength)),
                "Interfaces" when value is IReadOnlyCollection<string> { Count: > MaxInterfaces } interfaces =>
                    TooMany(request, field, interfaces.Count, MaxInterfaces),
                "Certificate" => value is byte[] { Length: > MaxCertificateBytes } certificate
                    ? TooLong(request, field, certificate.Length, MaxCertificateBytes, "bytes")
                    : null,
                _ => CheckValue(value, request, field, Text(MaxTextLength)),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Checks a property's value: a string by <paramref name="checkString"/>, bytes, a list's count and each of its items, a nested record.</summary>
    private static BoundsProblem? CheckValue(object value, string request, string field, Func<string, string, string, BoundsProblem?> checkString)
    {
        switch (value)
        {
            case string text:
                return checkString(text, request, field);
            case byte[] bytes:
                return bytes.Length > MaxBinaryBytes ? TooLong(request, field, bytes.Length, MaxBinaryBytes, "bytes") : null;
            case ICollection collection when value is not IDictionary:
                if (collection.Count > MaxItems)
                {
                    return TooMany(request, field, collection.Count, MaxItems);
                }

                var index = 0;
                foreach (var item in collection)
                {
                    if (item is not null && CheckValue(item, request, string.Create(CultureInfo.InvariantCulture, $"{field}[{index}]"), checkString) is { } problem)
                    {
                        return problem;
                    }

                    index++;
                }

                return null;
            default:
                return IsProtocolRecord(value.GetType()) ? CheckRecord(value, request, field + ".", fileCommand: false) : null;
        }
    }

    /// <summary>Records of this protocol (CaptureOptions, CaptureOwner…); not actor references, times or enums.</summary>
    private static bool IsProtocolRecord(Type type) =>
        type.IsClass && type.Assembly == typeof(RequestBounds).Assembly && type.Namespace == typeof(RequestBounds).Namespace;

    private static Func<string, string, string, BoundsProblem?> Text(int maxLength) => (text, request, field) =>
        text.Length > maxLength ? TooLong(request, field, text.Length, maxLength, "characters") : null;

    private static BoundsProblem? FileName(string name, string request, string field)
    {
        var bytes = TextBounds.Utf8Length(name);
        return bytes <= MaxFileNameBytes
            ? null
            : new BoundsProblem(
                ErrorCode.UnsafeFileName,
                $"{TextBounds.Quote(name)} is not a capture file name: it is {bytes:N0} bytes long, at most {MaxFileNameBytes} are allowed ({request} {field})");
    }

    private static BoundsProblem TooLong(string request, string field, int length, int max, string unit) =>
        new(ErrorCode.InvalidArgument, string.Create(CultureInfo.InvariantCulture, $"{request} {field} is {length:N0} {unit} long: at most {max:N0} are allowed"));

    private static BoundsProblem TooMany(string request, string field, int count, int max) =>
        new(ErrorCode.InvalidArgument, string.Create(CultureInfo.InvariantCulture, $"{request} {field} has {count:N0} items: at most {max:N0} are allowed"));
}

/// <summary>Which limit of <see cref="RequestBounds"/> a request exceeds: the error code to refuse it with, and why.</summary>
public sealed record BoundsProblem(ErrorCode Code, string Message);
