namespace CaptureActors.Capture;

/// <summary>
/// How long a capture waiting for its link sleeps between looks at the link state: <see cref="Initial"/>, doubling,
/// at most <see cref="Maximum"/>. A packet on the socket wakes the wait early, so the backoff bounds only how late a
/// quiet link's return is noticed, never what is captured.
/// </summary>
public sealed class LinkBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(5);

    private TimeSpan _next = Initial;

    /// <summary>The wait before the next look, doubling each call up to <see cref="Maximum"/>.</summary>
    public TimeSpan Next()
    {
        TimeSpan current = _next;
        _next = current * 2 > Maximum ? Maximum : current * 2;
        return current;
    }

    /// <summary>Starts again from <see cref="Initial"/> (the link came back).</summary>
    public void Reset() => _next = Initial;
}
