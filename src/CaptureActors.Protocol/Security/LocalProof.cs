using System.Text.Json;

namespace CaptureActors.Protocol.Security;

/// <summary>
/// What a console sends on a plain agent's local socket (<see cref="SessionChallenge.LocalProofSocket"/>): the nonce of
/// the challenge it got over Akka.Remote and the path of its session actor. The agent reads who holds the other end of
/// the socket from the kernel (SO_PEERCRED), never from this message.
/// </summary>
public sealed record LocalProofRequest(byte[] Nonce, string SessionActor);

/// <summary>The agent's answer on its local socket: the session (its token is handed over only here), or why not.</summary>
public sealed record LocalProofReply(SessionGranted? Granted, string? Refusal);

/// <summary>
/// The framing of the local-socket exchange (docs/authorization.md, "Local consoles"): one JSON object per direction,
/// ended by a newline, at most <see cref="MaxMessageBytes"/>. One request and one reply per connection.
/// </summary>
public static class LocalProof
{
    /// <summary>A request or reply larger than this is refused unread.</summary>
    public const int MaxMessageBytes = 8 * 1024;

    /// <summary>How long either side waits for the other's message.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task WriteAsync<T>(Stream stream, T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        if (bytes.Length >= MaxMessageBytes)
        {
            throw new FormatException($"a local proof message of {bytes.Length} bytes is over the limit of {MaxMessageBytes}");
        }

        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one message; <see cref="FormatException"/> when it is too long, cut short or not the expected JSON.</summary>
    public static async Task<T> ReadAsync<T>(Stream stream, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[MaxMessageBytes];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new FormatException(length == 0 ? "the other side closed the local socket without a message" : "the local proof message ended before its newline");
            }

            var end = Array.IndexOf(buffer, (byte)'\n', length, read);
            length += read;
            if (end >= 0)
            {
                try
                {
                    return JsonSerializer.Deserialize<T>(buffer.AsSpan(0, end), Json)
                        ?? throw new FormatException("the local proof message is null");
                }
                catch (JsonException e)
                {
                    throw new FormatException($"the local proof message is not a {typeof(T).Name}: {e.Message}", e);
                }
            }

            if (length == buffer.Length)
            {
                throw new FormatException($"the local proof message is longer than {MaxMessageBytes} bytes");
            }
        }
    }
}
