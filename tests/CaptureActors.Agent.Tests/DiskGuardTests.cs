using CaptureActors.Agent.Disk;

namespace CaptureActors.Agent.Tests;

/// <summary>The disk guard's decisions, without actors or disks.</summary>
public sealed class DiskGuardTests
{
    private const long Mb = 1 << 20;

    private static DiskCheck Check(long free, long floor = 100 * Mb, long captureBytes = 0, long? quota = null) =>
        new("/data/captures", new FileSystemSpace(free, 1000 * Mb), floor, captureBytes, quota);

    private static readonly DeletableFile[] Oldest3 =
    [
        new("/data/captures/n_eth0_20261124T101500Z_001.pcap", "eth0", 10 * Mb),
        new("/data/captures/n_eth0_20261124T101500Z_002.pcap", "eth0", 10 * Mb),
        new("/data/captures/n_eth0_20261124T101500Z_003.pcap", "eth0", 10 * Mb),
    ];

    [Fact]
    public void Within_floor_and_quota_nothing_happens_ring_or_not()
    {
        var check = Check(free: 101 * Mb, captureBytes: 50 * Mb, quota: 50 * Mb);

        Assert.Equal(DiskGuardDecision.Nothing, DiskGuard.Decide(check, ring: true, Oldest3));
        Assert.Equal(DiskGuardDecision.Nothing, DiskGuard.Decide(check, ring: false, Oldest3));
    }

    [Fact]
    public void Below_the_floor_a_capture_that_is_not_a_ring_stops_and_says_free_space_and_floor()
    {
        var decision = DiskGuard.Decide(Check(free: 99 * Mb), ring: false, Oldest3);

        Assert.Empty(decision.Deletions);
        Assert.Equal("99.0 MB free on the file system of /data/captures, below the free-disk floor of 100.0 MB (capture-agent.disk.floor)", decision.StopBecause);
    }

    [Fact]
    public void A_ring_deletes_its_oldest_finished_files_until_it_is_above_the_floor_again()
    {
        var decision = DiskGuard.Decide(Check(free: 85 * Mb), ring: true, Oldest3);

        Assert.Null(decision.StopBecause);
        Assert.Equal(Oldest3[..2], decision.Deletions);
    }

    [Fact]
    public void A_ring_over_the_quota_deletes_what_is_over_it()
    {
        var decision = DiskGuard.Decide(Check(free: 500 * Mb, captureBytes: 205 * Mb, quota: 200 * Mb), ring: true, Oldest3);

        Assert.Equal(Oldest3[..1], decision.Deletions);
    }

    [Fact]
    public void The_larger_of_floor_and_quota_overshoot_decides_how_much_goes()
    {
        var check = Check(free: 95 * Mb, captureBytes: 225 * Mb, quota: 200 * Mb);

        Assert.Equal(25 * Mb, check.BytesToFree);
        Assert.Equal(Oldest3, DiskGuard.Decide(check, ring: true, Oldest3).Deletions);
    }

    [Fact]
    public void A_ring_that_cannot_free_enough_deletes_nothing_and_stops()
    {
        var decision = DiskGuard.Decide(Check(free: 60 * Mb), ring: true, Oldest3);

        Assert.Empty(decision.Deletions);
        Assert.Contains("the ring has only 30.0 MB in 3 finished file(s) it may delete", decision.StopBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ring_with_nothing_deletable_stops()
    {
        var decision = DiskGuard.Decide(Check(free: 99 * Mb), ring: true, []);

        Assert.NotNull(decision.StopBecause);
        Assert.Empty(decision.Deletions);
    }

    [Fact]
    public void A_start_is_refused_below_the_floor_at_the_quota_and_without_room_for_the_sidecar()
    {
        Assert.Contains("99.0 MB free on the file system of /data/captures, below the free-disk floor of 100.0 MB", DiskGuard.StartRefusal(Check(free: 99 * Mb)), StringComparison.Ordinal);
        Assert.Contains("take 201.0 MB, over the quota of 200.0 MB", DiskGuard.StartRefusal(Check(free: 500 * Mb, captureBytes: 201 * Mb, quota: 200 * Mb)), StringComparison.Ordinal);
        Assert.Contains("no room for a capture file and its sidecar", DiskGuard.StartRefusal(Check(free: 10_000, floor: 0)), StringComparison.Ordinal);
        Assert.Null(DiskGuard.StartRefusal(Check(free: 101 * Mb, captureBytes: 199 * Mb, quota: 200 * Mb)));
    }

    [Fact]
    public void Sizes_that_would_round_to_the_same_text_are_given_in_bytes()
    {
        Assert.StartsWith("3,250,000 bytes free on the file system of /data/captures, below the free-disk floor of 3,276,800 bytes", Check(free: 3_250_000, floor: 3_276_800).Problem(), StringComparison.Ordinal);
    }
}
