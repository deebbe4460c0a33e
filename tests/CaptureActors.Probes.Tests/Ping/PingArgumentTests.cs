using CaptureActors.Protocol;

namespace CaptureActors.Probes.Tests.Ping;

/// <summary>Arguments the ping probe refuses before it opens a socket or sends anything.</summary>
public sealed class PingArgumentTests
{
    private static readonly ProbeEnvironment NoDns = new()
    {
        ResolveHost = (name, _, _) => throw new InvalidOperationException($"unexpected DNS lookup of {name}"),
    };

    private static Task<IProbeResult> RunAsync(PingHost command) =>
        new ProbeCatalog(NoDns).RunAsync(command, new ProbeContext(_ => { }, CancellationToken.None));

    [Theory]
    [InlineData("198.18.0.2", IcmpFamily.V6, "is an IPv4 address, but IPv6 was asked for")]
    [InlineData("fd00::2", IcmpFamily.V4, "is an IPv6 address, but IPv4 was asked for")]
    [InlineData("two words", IcmpFamily.Any, "is neither an IP address nor a host name")]
    public async Task A_literal_of_the_wrong_family_or_a_malformed_name_is_an_invalid_argument(string host, IcmpFamily family, string message)
    {
        var failure = await Assert.ThrowsAsync<ProbeException>(() =>
            RunAsync(new PingHost("p", host, 1, PingHost.DefaultInterval, 56, family, PingHost.DefaultReplyTimeout)));

        Assert.Equal(ErrorCode.InvalidArgument, failure.Code);
        Assert.Contains(message, failure.Message);
    }

    [Theory]
    [InlineData(0, 1.0, 56, 1.0, "count 0 is out of range: 1 to 100000")]
    [InlineData(100_001, 1.0, 56, 1.0, "count 100001 is out of range")]
    [InlineData(1, 0.1, 56, 1.0, "interval 100ms is out of range: 0.2s to 60s")]
    [InlineData(1, 61.0, 56, 1.0, "interval 1m1s is out of range")]
    [InlineData(1, 1.0, 65_508, 1.0, "packet size 65508 is out of range: 0 to 65507")]
    [InlineData(1, 1.0, -1, 1.0, "packet size -1 is out of range")]
    [InlineData(1, 1.0, 56, 0.05, "timeout 50ms is out of range")]
    public async Task Out_of_range_arguments_are_refused_by_the_probe_itself(int count, double interval, int size, double timeout, string message)
    {
        var failure = await Assert.ThrowsAsync<ProbeException>(() =>
            RunAsync(new PingHost("p", "127.0.0.1", count, TimeSpan.FromSeconds(interval), size, IcmpFamily.Any, TimeSpan.FromSeconds(timeout))));

        Assert.Equal(ErrorCode.InvalidArgument, failure.Code);
        Assert.Contains(message, failure.Message);
    }
}
