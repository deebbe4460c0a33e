using CaptureActors.Probes.Smtp;

namespace CaptureActors.Probes.Tests.Smtp;

public sealed class EhloParserTests
{
    [Fact]
    public void Extensions_are_read_from_a_postfix_style_reply()
    {
        var reply = new SmtpReply(250, ["mx.example.test", "PIPELINING", "SIZE 10240000", "VRFY", "ETRN", "STARTTLS", "AUTH PLAIN LOGIN", "AUTH=PLAIN LOGIN XOAUTH2", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"]);

        var capabilities = EhloParser.Parse(reply);

        Assert.Equal("mx.example.test", capabilities.Greeting);
        Assert.Equal(12, capabilities.Extensions.Count);
        Assert.Equal(10_240_000, capabilities.MaxSize);
        Assert.True(capabilities.StartTls && capabilities.Pipelining && capabilities.EightBitMime && capabilities.SmtpUtf8
            && capabilities.EnhancedStatusCodes && capabilities.Chunking && capabilities.Dsn);
        Assert.Equal(["PLAIN", "LOGIN", "XOAUTH2"], capabilities.AuthMechanisms);
    }

    [Fact]
    public void A_bare_greeting_offers_nothing()
    {
        var capabilities = EhloParser.Parse(new SmtpReply(250, ["tiny.example.test"]));

        Assert.Empty(capabilities.Extensions);
        Assert.False(capabilities.StartTls);
        Assert.Null(capabilities.MaxSize);
        Assert.Empty(capabilities.AuthMechanisms);
    }

    [Fact]
    public void Size_without_a_number_has_no_limit_value()
    {
        Assert.Null(EhloParser.Parse(new SmtpReply(250, ["x", "SIZE"])).MaxSize);
    }
}
