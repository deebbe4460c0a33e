using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CaptureActors.TestSupport;

/// <summary>
/// A real SMTP server (the SmtpServer library) on 127.0.0.1 and an ephemeral port, for smtpping tests. Offers
/// STARTTLS when given a certificate, AUTH PLAIN/LOGIN, and refuses RCPT TO for <see cref="RejectedRecipient"/>
/// with a 550 and Postfix's words.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    public const string RejectedRecipient = "nobody@example.test";
    public const string ServerName = "mail.example.test";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    private SmtpTestServer(X509Certificate2? certificate)
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName(ServerName)
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)).AllowUnsecureAuthentication(true);
                if (certificate is not null)
                {
                    endpoint.Certificate(certificate);
                }
            })
            .Build();

        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new RejectingFilter());
        services.Add(new AnyUser());

        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
        Port = started.Task.Wait(StartTimeout) ? started.Task.Result : throw new TimeoutException($"the SMTP server did not start within {StartTimeout}");
    }

    public int Port { get; }

    public string Target => $"127.0.0.1:{Port}";

    public static SmtpTestServer Start(X509Certificate2? certificate = null) => new(certificate);

    /// <summary>A self-signed server certificate for <see cref="ServerName"/>, valid from an hour ago for <paramref name="lifetime"/>.</summary>
    public static X509Certificate2 CreateCertificate(TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={ServerName}, O=CaptureActors tests", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(ServerName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddHours(-1), now.Add(lifetime));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _server.Shutdown();
        try
        {
            _running.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled on purpose.
        }

        _stop.Dispose();
    }

    private sealed class RejectingFilter : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox @from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox @from, CancellationToken cancellationToken) =>
            string.Equals(to.AsAddress(), RejectedRecipient, StringComparison.OrdinalIgnoreCase)
                ? throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.MailboxUnavailable, $"5.1.1 <{RejectedRecipient}>: Recipient address rejected: User unknown"))
                : Task.FromResult(true);
    }

    private sealed class AnyUser : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken) =>
            Task.FromResult(false);
    }
}
