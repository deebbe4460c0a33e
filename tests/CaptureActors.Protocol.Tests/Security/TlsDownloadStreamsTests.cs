using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Akka.Configuration;
using CaptureActors.Protocol.Security;
using CaptureActors.TestSupport;

namespace CaptureActors.Protocol.Tests.Security;

/// <summary>
/// The download channel's TLS (<see cref="TlsDownloadStreams"/>) over a real loopback connection, and the one trust rule
/// (<see cref="MutualTlsSetup.Accept"/>) every TLS connection of a node goes through.
/// </summary>
public sealed class TlsDownloadStreamsTests : IClassFixture<TlsCredentialsTests.TwoCas>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TlsCredentialsTests.TwoCas cas;

    public TlsDownloadStreamsTests(TlsCredentialsTests.TwoCas cas) => this.cas = cas;

    [Fact]
    public async Task Agent_and_console_of_one_ca_exchange_the_channel_s_bytes_over_tls()
    {
        using var agent = Setup(cas.Ours, "agent");
        using var console = Setup(cas.Ours, "console");
        var (server, client) = await HandshakeAsync(agent, console);
        await using (server)
        await using (client)
        {
            Assert.IsType<SslStream>(server);
            Assert.Equal("CN=console, O=CaptureActors dev", ((SslStream)server).RemoteCertificate!.Subject);
            await DownloadChannel.WriteRequestAsync(client, new byte[DownloadChannel.TokenBytes], "a.pcap", 7, CancellationToken.None);
            var request = await DownloadChannel.ReadRequestAsync(server, CancellationToken.None);
            Assert.Equal(("a.pcap", 7L), (request.Name, request.Offset));
        }
    }

    [Fact]
    public async Task A_console_of_another_ca_is_refused_by_the_agent_and_refuses_the_agent()
    {
        using var agent = Setup(cas.Ours, "agent");
        using var stranger = Setup(cas.Other, "console");
        var (serverTask, clientTask) = StartHandshake(agent, stranger);
        var client = await Assert.ThrowsAsync<TlsRefusedException>(() => clientTask.WaitAsync(Bound));
        Assert.Contains("is not signed by our CA", client.Message, StringComparison.Ordinal);
        var server = await Assert.ThrowsAsync<TlsRefusedException>(() => serverTask.WaitAsync(Bound));
        Assert.StartsWith("TLS handshake failed", server.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("agent", "is issued for serverAuth, not clientAuth")]
    [InlineData("ca", "is a CA certificate (basicConstraints CA:TRUE)")]
    public async Task The_agent_s_own_certificate_or_the_ca_s_presented_as_a_console_is_refused_at_the_handshake(string name, string expected)
    {
        using var agent = Setup(cas.Ours, "agent");
        var files = name == "ca"
            ? new TlsFiles(cas.Ours.Ca, Path.Combine(cas.Ours.Directory, "ca.key"), cas.Ours.Ca)
            : Files(cas.Ours, name);
        using var impostor = new MutualTlsSetup(files.Load(), new RemoteTlsSettings(ValidateCertificateHostname: false), CertificatePurpose.ServerAuth);
        var (serverTask, clientTask) = StartHandshake(agent, impostor);
        var server = await Assert.ThrowsAsync<TlsRefusedException>(() => serverTask.WaitAsync(Bound));
        Assert.Contains(expected, server.Message, StringComparison.Ordinal);
        try
        {
            await using var client = await clientTask.WaitAsync(Bound);
            // TLS 1.3: the client's side may complete before the server's verdict; the verdict then closes the stream.
            Assert.Equal(0, await client.ReadAsync(new byte[1]));
        }
        catch (TlsRefusedException)
        {
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_plain_client_is_refused_before_the_channel_reads_a_byte_of_its_request()
    {
        using var agent = Setup(cas.Ours, "agent");
        var (serverTask, clientTask) = StartHandshake(agent, null);
        await using var plain = await clientTask.WaitAsync(Bound);
        await DownloadChannel.WriteRequestAsync(plain, new byte[DownloadChannel.TokenBytes], "a.pcap", 0, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<TlsRefusedException>(() => serverTask.WaitAsync(Bound));
        Assert.StartsWith("TLS handshake failed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trust_rule_refuses_no_certificate_another_ca_and_with_hostname_checks_on_a_wrong_name()
    {
        using var lax = Setup(cas.Ours, "agent");
        using var strict = new MutualTlsSetup(Files(cas.Ours, "console").Load(), new RemoteTlsSettings(ValidateCertificateHostname: true), CertificatePurpose.ServerAuth);
        using var stranger = Files(cas.Other, "console").Load();
        using var agentCertificate = Files(cas.Ours, "agent").Load();
        using var viewer = cas.OursViewer();

        Assert.False(lax.Accept(null, SslPolicyErrors.RemoteCertificateNotAvailable, out var problem));
        Assert.Equal("the peer presented no certificate", problem);
        Assert.False(lax.Accept(stranger.Certificate, SslPolicyErrors.None, out problem));
        Assert.Contains("is not signed by our CA", problem, StringComparison.Ordinal);
        Assert.True(lax.Accept(viewer, SslPolicyErrors.RemoteCertificateNameMismatch, out problem), problem);
        Assert.False(strict.Accept(agentCertificate.Certificate, SslPolicyErrors.RemoteCertificateNameMismatch, out problem));
        Assert.Contains("does not name the host dialled", problem, StringComparison.Ordinal);
        Assert.True(strict.Accept(agentCertificate.Certificate, SslPolicyErrors.None, out problem), problem);
        // A console's peers are agents: a console's certificate presented as an agent's is refused.
        Assert.False(strict.Accept(viewer, SslPolicyErrors.None, out problem));
        Assert.Contains("is issued for clientAuth, not serverAuth", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("require-mutual-authentication = off", "require-mutual-authentication = off is refused")]
    [InlineData("suppress-validation = on", "suppress-validation = on is refused")]
    public void Remote_tls_hocon_cannot_turn_the_checks_off(string line, string expected)
    {
        var config = ConfigurationFactory.ParseString($"{RemoteTlsSettings.SslPath}.{line}");
        var error = Assert.Throws<TlsSetupException>(() => RemoteTlsSettings.From(config));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_remote_tls_hocon_turns_tls_on_with_hostname_checks_off()
    {
        var config = ConfigurationFactory.ParseString(File.ReadAllText(RemoteTlsSettings.HoconFile));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(new RemoteTlsSettings(ValidateCertificateHostname: false), RemoteTlsSettings.From(config));
    }

    /// <summary>The agent's setup admits consoles (clientAuth); anyone else's admits agents (serverAuth).</summary>
    private static MutualTlsSetup Setup(DevCertificates certificates, string name) =>
        new(Files(certificates, name).Load(), new RemoteTlsSettings(ValidateCertificateHostname: false),
            name == "agent" ? CertificatePurpose.ClientAuth : CertificatePurpose.ServerAuth);

    private static TlsFiles Files(DevCertificates certificates, string name) =>
        new(certificates.Pem(name), certificates.Key(name), certificates.Ca);

    private static async Task<(Stream Server, Stream Client)> HandshakeAsync(MutualTlsSetup agent, MutualTlsSetup console)
    {
        var (server, client) = StartHandshake(agent, console);
        return (await server.WaitAsync(Bound), await client.WaitAsync(Bound));
    }

    /// <summary>A loopback connection; the server side through the agent's factory, the client through the console's (null: plain).</summary>
    private static (Task<Stream> Server, Task<Stream> Client) StartHandshake(MutualTlsSetup agent, MutualTlsSetup? console)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        clientSocket.Connect(listener.LocalEndPoint!);
        var serverSocket = listener.Accept();
        var server = TlsDownloadStreams.Server(agent)(serverSocket, CancellationToken.None).AsTask();
        var client = console is null
            ? DownloadChannel.PlainStream(clientSocket, CancellationToken.None).AsTask()
            : TlsDownloadStreams.Client(console, "127.0.0.1")(clientSocket, CancellationToken.None).AsTask();
        return (server, client);
    }
}
