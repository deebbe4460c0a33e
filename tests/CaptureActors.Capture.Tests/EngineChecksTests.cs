namespace CaptureActors.Capture.Tests;

/// <summary>Inventory, filter and privilege checks: no capture device is opened, so no root needed.</summary>
public sealed class EngineChecksTests
{
    private readonly LibPcapCaptureEngine _engine = new();

    [Fact]
    public void Empty_filter_is_valid()
    {
        Assert.True(_engine.CheckFilter("").IsValid);
        Assert.True(_engine.CheckFilter("udp port 53 and host 127.0.0.1").IsValid);
    }

    [Fact]
    public void Bad_filter_is_reported_with_libpcaps_own_message()
    {
        FilterCheck syntax = _engine.CheckFilter("udp port port");
        Assert.False(syntax.IsValid);
        Assert.Contains("syntax error", syntax.Error, StringComparison.Ordinal);

        FilterCheck unknownPort = _engine.CheckFilter("port nosuchservicexyz");
        Assert.False(unknownPort.IsValid);
        Assert.Contains("nosuchservicexyz", unknownPort.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Interfaces_include_loopback_and_any_with_their_link_types()
    {
        IReadOnlyList<InterfaceInfo> interfaces = _engine.ListInterfaces();
        InterfaceInfo lo = Assert.Single(interfaces, i => i.Name == "lo");
        Assert.True(lo.IsUp);
        Assert.True(lo.Capturable);
        Assert.Equal("EN10MB", lo.LinkType);
        Assert.Equal(65536, lo.Mtu);
        Assert.Contains("127.0.0.1/8", lo.Addresses);
        InterfaceInfo any = Assert.Single(interfaces, i => i.Name == "any");
        Assert.Equal("LINUX_SLL2", any.LinkType);
    }

    [Fact]
    public void Start_on_an_unknown_interface_lists_the_valid_ones()
    {
        using var dir = new TestSupport.TempDirectory();
        CaptureStartException e = Assert.Throws<CaptureStartException>(() =>
            _engine.Start(new InterfaceCaptureRequest("nosuch0", "", 65535, false, n => dir.File($"x_{n}.pcap"))));
        Assert.Equal(CaptureStartError.UnknownInterface, e.Error);
        Assert.Contains("nosuch0", e.Message, StringComparison.Ordinal);
        Assert.Contains("lo", e.Message.Split(": ")[^1].Split(", "));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Start_with_a_bad_filter_fails_with_libpcaps_message_and_leaves_no_file()
    {
        using var dir = new TestSupport.TempDirectory();
        CaptureStartException e = Assert.Throws<CaptureStartException>(() =>
            _engine.Start(new InterfaceCaptureRequest("lo", "tcp port ftp-dataa", 65535, false, n => dir.File($"x_{n}.pcap"))));
        Assert.Equal(CaptureStartError.InvalidFilter, e.Error);
        Assert.Contains("ftp-dataa", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Missing_privilege_names_cap_net_raw_exactly_when_this_process_lacks_it()
    {
        string? missing = _engine.MissingCapturePrivilege();
        if (TestSupport.Privilege.IsRoot)
        {
            Assert.Null(missing);
        }
        else
        {
            Assert.Contains("CAP_NET_RAW", missing, StringComparison.Ordinal);
        }
    }

    [UnprivilegedFact]
    public void Start_without_cap_net_raw_is_refused_with_permission_denied()
    {
        using var dir = new TestSupport.TempDirectory();
        CaptureStartException e = Assert.Throws<CaptureStartException>(() =>
            _engine.Start(new InterfaceCaptureRequest("lo", "", 65535, false, n => dir.File($"x_{n}.pcap"))));
        Assert.Equal(CaptureStartError.PermissionDenied, e.Error);
        Assert.Contains("CAP_NET_RAW", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    /// <summary>Runs only without root (e.g. setpriv --reuid=65534 ... dotnet test): checks the refusal an unprivileged user gets.</summary>
    public sealed class UnprivilegedFactAttribute : FactAttribute
    {
        public UnprivilegedFactAttribute()
        {
            if (TestSupport.Privilege.IsRoot)
            {
                Skip = "checks the behaviour without root; this process is root";
            }
        }
    }

    [Theory]
    [InlineData("CapEff:\t000001ffffffffff", true)]
    [InlineData("CapEff:\t0000000000002000", true)]
    [InlineData("CapEff:\t0000000000000000", false)]
    [InlineData("CapEff:\t0000000000001000", false)]
    [InlineData("Name:\tx", false)]
    public void Net_raw_is_read_from_the_effective_capabilities(string statusLine, bool expected)
    {
        Assert.Equal(expected, CapturePrivilege.HasNetRaw($"Name:\tdotnet\nCapInh:\t0000000000000000\n{statusLine}\n"));
    }
}
