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
        Assert.True(agent.Admits(console.Certificate, CertificatePurpose.ClientAuth, out var problem), problem);
        using var viewer = cas.OursViewer();
        Assert.True(agent.Admits(viewer, CertificatePurpose.ClientAuth, out problem), problem);
        Assert.True(console.Admits(agent.Certificate, CertificatePurpose.ServerAuth, out problem), problem);
        Assert.False(agent.Admits(stranger.Certificate, CertificatePurpose.ClientAuth, out problem));
        Assert.StartsWith("is not signed by our CA: ", problem, StringComparison.Ordinal);
        Assert.False(agent.Admits(null, CertificatePurpose.ClientAuth, out problem));
        Assert.Equal("the peer presented no certificate", problem);
    }

    [Fact]
    public void Only_a_leaf_issued_for_the_peer_s_purpose_is_admitted_the_ca_s_own_certificate_and_the_agent_s_as_a_console_are_not()
    {
        using var agent = Files(cas.Ours, "agent").Load();
        using var console = Files(cas.Ours, "console").Load();
        using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(cas.Ours.Ca);

        Assert.False(agent.Admits(ca, CertificatePurpose.ClientAuth, out var problem));
        Assert.StartsWith("is a CA certificate (basicConstraints CA:TRUE)", problem, StringComparison.Ordinal);
        Assert.False(agent.Admits(agent.Certificate, CertificatePurpose.ClientAuth, out problem));
        Assert.Equal("is issued for serverAuth, not clientAuth: consoles and controllers present certificates with extendedKeyUsage=clientAuth", problem);
        Assert.False(console.Admits(console.Certificate, CertificatePurpose.ServerAuth, out problem));
        Assert.StartsWith("is issued for clientAuth, not serverAuth", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "has no extended key usage: issue it with extendedKeyUsage=clientAuth")]
    [InlineData(CertificatePurposes.ServerAuthOid, "is issued for serverAuth, not clientAuth")]
    [InlineData("1.3.6.1.5.5.7.3.4", "is issued for 1.3.6.1.5.5.7.3.4, not clientAuth")]
    public void A_leaf_without_the_purpose_is_refused_naming_what_it_is_issued_for(string? usage, string expected)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=leaf", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        if (usage is not null)
        {
            request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid(usage)], critical: false));
        }

        using var issuerKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var issuer = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=issuer", issuerKey, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var leaf = request.Create(issuer.SubjectName, System.Security.Cryptography.X509Certificates.X509SignatureGenerator.CreateForECDsa(issuerKey),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3]);
        Assert.False(CertificatePurposes.Allows(leaf, CertificatePurpose.ClientAuth, out var problem));
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);

        // Self-signed without any CA extension: a root all the same.
        Assert.False(CertificatePurposes.Allows(issuer, CertificatePurpose.ClientAuth, out problem));
        Assert.StartsWith("is self-signed", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0b110_000_000, null)]
    [InlineData(0b110_100_000, null)]
    [InlineData(0b100_000_000, null)]
    [InlineData(0b110_100_100, "is readable by every user (mode 0644)")]
    [InlineData(0b110_110_000, "is writable by its group (mode 0660)")]
    [InlineData(0b110_110_110, "is readable and writable by every user (mode 0666)")]
    [InlineData(0b110_000_010, "is writable by every user (mode 0602)")]
    public void A_secret_file_may_be_read_by_its_group_but_not_written_by_it_nor_touched_by_others(int mode, string? expected)
    {
        var problem = SecretFiles.Problem("/k.pem", "--tls-key", (UnixFileMode)mode);
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Equal($"--tls-key /k.pem holds a secret and {expected}: chmod 600 /k.pem (or 640 to share it with the group)", problem);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_world_readable_key_file_is_refused_at_load_and_the_same_key_at_0600_loads()
    {
        using var directory = new TempDirectory("ca-tls-mode-");
        var key = Path.Combine(directory.Path, "console.key");
        File.Copy(cas.Ours.Key("console"), key);
        File.SetUnixFileMode(key, (UnixFileMode)0b110_100_100);
        var files = new TlsFiles(cas.Ours.Pem("console"), key, cas.Ours.Ca);
        var error = Assert.Throws<TlsSetupException>(() => files.Load().Dispose());
        Assert.Equal($"--tls-key {key} holds a secret and is readable by every user (mode 0644): chmod 600 {key} (or 640 to share it with the group)", error.Message);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        files.Load().Dispose();
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
