using CaptureActors.Protocol;

namespace CaptureActors.Web;

/// <summary>A request the page cannot do: the message says what and why; the code comes from the node when it refused.</summary>
public sealed class WebFailure(string message, ErrorCode? code = null, int status = 400) : Exception(message)
{
    public ErrorCode? Code { get; } = code;

    /// <summary>The HTTP status the API answers with.</summary>
    public int Status { get; } = status;
}
