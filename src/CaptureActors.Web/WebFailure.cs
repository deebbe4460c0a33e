using CaptureActors.Protocol;

namespace CaptureActors.Web;

/// <summary>
/// A request the page cannot do: the message says what and why; the code comes from the node when it refused;
/// <see cref="Field"/> names the part of a request body that was wrong (<c>settings</c>, <c>nodes[1]</c>).
/// </summary>
public sealed class WebFailure(string message, ErrorCode? code = null, int status = 400, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;

    public ErrorCode? Code { get; } = code;

    /// <summary>The HTTP status the API answers with.</summary>
    public int Status { get; } = status;
}
