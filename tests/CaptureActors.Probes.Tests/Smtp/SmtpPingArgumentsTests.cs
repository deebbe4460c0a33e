using CaptureActors.Protocol;

namespace CaptureActors.Probes.Tests.Smtp;

public sealed class SmtpPingArgumentsTests
{
    [Theory]
    [InlineData("example.test", "example.test", null)]
    [InlineData("mail.example.test:2525", "mail.example.test", 2525)]
    [InlineData("127.0.0.1:25", "127.0.0.1", 25)]
    [InlineData("[::1]:587", "::1", 587)]
    [InlineData("::1", "::1", null)]
    [InlineData("[192.0.2.1]", "192.0.2.1", null)]
    public void Targets_split_into_host_and_port(string text, string host, int? port)
    {
        Assert.True(SmtpPingArguments.TryParseTarget(text, out var parsedHost, out var parsedPort, out var error), error);
        Assert.Equal((host, port), (parsedHost, parsedPort));
    }

    [Theory]
    [InlineData("", "no target given")]
    [InlineData("example.test:0", "port '0' in 'example.test:0' is not a number in 1..65535")]
    [InlineData("example.test:70000", "is not a number in 1..65535")]
    [InlineData("example.test:smtp", "is not a number in 1..65535")]
    [InlineData("[::1", "is not a bracketed IP address")]
    [InlineData("ex ample.test", "is neither a host name nor an IP address")]
    public void Bad_targets_say_what_is_wrong(string text, string message)
    {
        Assert.False(SmtpPingArguments.TryParseTarget(text, out _, out _, out var error));
        Assert.Contains(message, error);
        if (text.Length > 0)
        {
            Assert.Contains("HOST|DOMAIN|IP[:PORT]", error + SmtpPingArguments.TargetForm);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:53")]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    [InlineData("::1", "[::1]:53")]
    public void Dns_servers_default_to_port_53(string text, string endpoint)
    {
        Assert.True(SmtpPingArguments.TryParseDnsServer(text, out var parsed, out var error), error);
        Assert.Equal(endpoint, parsed.ToString());
    }

    [Theory]
    [InlineData("dns.example.test")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:x")]
    public void Dns_servers_must_be_addresses(string text)
    {
        Assert.False(SmtpPingArguments.TryParseDnsServer(text, out _, out var error));
        Assert.Contains("IP[:PORT]", error);
    }

    [Theory]
    [InlineData("probe@example.test", true)]
    [InlineData("first.last+tag@mail.example.test", true)]
    [InlineData("postmaster@[127.0.0.1]", true)]
    [InlineData("no-at-sign", false)]
    [InlineData("@example.test", false)]
    [InlineData("a@", false)]
    [InlineData("Bob <bob@example.test>", false)]
    [InlineData("<bob@example.test>", false)]
    [InlineData("bob@example.test\r\nRCPT TO:<x@y>", false)]
    [InlineData("bob@bad domain", false)]
    public void Mailboxes_are_bare_addresses_without_line_breaks(string address, bool valid)
    {
        Assert.Equal(valid, SmtpPingArguments.IsValidMailbox(address));
    }
}
