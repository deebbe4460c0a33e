namespace CaptureActors.Capture.Tests;

public sealed class LinkBackoffTests
{
    [Fact]
    public void Waits_double_from_200_ms_up_to_5_s_and_start_again_after_a_reset()
    {
        var backoff = new LinkBackoff();

        var waits = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        backoff.Reset();

        Assert.Equal([200, 400, 800, 1600, 3200, 5000, 5000, 5000], waits);
        Assert.Equal(200, backoff.Next().TotalMilliseconds);
    }

    [Fact]
    public void A_minute_of_down_link_costs_at_most_17_looks_at_its_state()
    {
        var backoff = new LinkBackoff();
        var elapsed = TimeSpan.Zero;
        var looks = 0;
        while (elapsed < TimeSpan.FromMinutes(1))
        {
            elapsed += backoff.Next();
            looks++;
        }

        Assert.InRange(looks, 10, 17);
    }

    [Fact]
    public void Loopback_is_up_and_a_missing_interface_is_gone()
    {
        Assert.Equal(LinkState.Up, InterfaceLinkState.Read("lo"));
        Assert.Equal(LinkState.Up, InterfaceLinkState.Read("any"));
        Assert.Equal(LinkState.Gone, InterfaceLinkState.Read("nosuch" + Guid.NewGuid().ToString("N")[..6]));
    }
}
