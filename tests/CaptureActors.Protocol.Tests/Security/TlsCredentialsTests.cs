using CaptureActors.Protocol.Security;
using CaptureActors.TestSupport;

namespace CaptureActors.Protocol.Tests.Security;

public sealed class TlsCredentialsTests : IClassFixture<TlsCredentialsTests.TwoCas>
{
    private readonly TwoCas cas;

    public TlsCredentialsTests(TwoCas cas) => this.cas = cas;

    [Fact]
    public void Loads_the_script_s_certificates_and_trusts_peers_of_the_same_ca_only()
    {
        using var agent = Files(cas.Ours, "agent").Load();
        using var console = Files(cas.Ours, "console").Load();
        using var stranger = Files(cas.Other, "console").Load();

        Assert.True(agent.Certificate.HasPrivateKey);
        Assert.Contains("CN=console", console.Subject, StringComparison.Ordinal);
        Assert.True(agent.IsTrusted(console.Certificate, out var problem), problem);
        Assert.True(agent.IsTrusted(cas.OursViewer(), out problem), problem);
        Assert.False(agent.IsTrusted(stranger.Certificate, out problem));
        Assert.NotEmpty(problem);
        Assert.False(agent.IsTrusted(null, out problem));
        Assert.Equal("the peer presented no certificate", problem);
    }

    [Fact]
    public void A_certificate_not_signed_by_the_given_ca_is_refused_at_load()
    {
        var mixed = new TlsFiles(cas.Ours.Pem("agent"), cas.Ours.Key("agent"), cas.Other.Ca);
        var error = Assert.Throws<TlsSetupException>(() => mixed.Load().Dispose());
        Assert.Contains("is not signed by the CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_another_certificate_is_refused_at_load()
    {
        var mismatched = new TlsFiles(cas.Ours.Pem("agent"), cas.Ours.Key("console"), cas.Ours.Ca);
        var error = Assert.Throws<TlsSetupException>(() => mismatched.Load().Dispose());
        Assert.Contains("not a PEM certificate and its matching private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var missing = new TlsFiles(cas.Ours.Pem("agent"), cas.Ours.Key("agent"), "/nonexistent/ca.pem");
        var error = Assert.Throws<TlsSetupException>(() => missing.Load().Dispose());
        Assert.Equal("--tls-ca /nonexistent/ca.pem: no such file", error.Message);
    }

    [Theory]
    [InlineData("c", null, null, "missing --tls-key and --tls-ca")]
    [InlineData("c", "k", null, "missing --tls-ca")]
    [InlineData(null, "k", "a", "missing --tls-cert")]
    public void Options_go_together(string? certificate, string? key, string? ca, string expected)
    {
        Assert.Null(TlsFiles.FromOptions(certificate, key, ca, out var problem));
        Assert.EndsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_options_is_plain_tcp()
    {
        Assert.Null(TlsFiles.FromOptions(null, null, null, out var problem));
        Assert.Null(problem);
    }

    private static TlsFiles Files(DevCertificates certificates, string name) =>
        new(certificates.Pem(name), certificates.Key(name), certificates.Ca);

    public sealed class TwoCas : IDisposable
    {
        public DevCertificates Ours { get; } = new("viewer");

        public DevCertificates Other { get; } = new();

        public System.Security.Cryptography.X509Certificates.X509Certificate2 OursViewer() =>
            System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Ours.Pem("viewer"));

        public void Dispose()
        {
            Ours.Dispose();
            Other.Dispose();
        }
    }
}
