using CaptureActors.Protocol;

namespace CaptureActors.Probes.Ping;

/// <summary>Running min/avg/max/mdev of round trips in milliseconds, as iputils computes them (mdev = population standard deviation).</summary>
public sealed class RoundTripStatistics
{
    private double _sum;
    private double _sumOfSquares;
    private double _min = double.MaxValue;
    private double _max;

    public int Count { get; private set; }

    public void Add(double milliseconds)
    {
        Count++;
        _sum += milliseconds;
        _sumOfSquares += milliseconds * milliseconds;
        _min = Math.Min(_min, milliseconds);
        _max = Math.Max(_max, milliseconds);
    }

    /// <summary>Null when nothing was added.</summary>
    public PingRoundTrips? Summary()
    {
        if (Count == 0)
        {
            return null;
        }

        var average = _sum / Count;
        var variance = Math.Max(0, (_sumOfSquares / Count) - (average * average));
        return new PingRoundTrips(_min, average, _max, Math.Sqrt(variance));
    }
}
