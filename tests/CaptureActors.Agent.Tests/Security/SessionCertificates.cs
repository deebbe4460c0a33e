using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;
using CaptureActors.TestSupport;

namespace CaptureActors.Agent.Tests.Security;

/// <summary>
/// Certificates for the authorization tests, made once per test class by deploy/tls/make-dev-certs.sh: the agent's,
/// a console (operator), a viewer and a stranger with no role, all of one CA; and a console of another CA.
/// </summary>
public sealed class SessionCertificates : IDisposable
{
    private readonly DevCertificates _ours = new("viewer", "stranger");
    private readonly DevCertificates _theirs = new();

    public TlsFiles Agent => Files(_ours, "agent");

    public TlsCredentials Console { get; }

    public TlsCredentials Viewer { get; }

    public TlsCredentials Stranger { get; }

    public TlsCredentials OtherCaConsole { get; }

    public SessionCertificates()
    {
        Console = Files(_ours, "console").Load();
        Viewer = Files(_ours, "viewer").Load();
        Stranger = Files(_ours, "stranger").Load();
        OtherCaConsole = Files(_theirs, "console").Load();
    }

    /// <summary>The roles of these tests (capture-agent.authorization).</summary>
    public static Akka.Configuration.Config Roles => Akka.Configuration.ConfigurationFactory.ParseString("""
        capture-agent.authorization {
          operators = ["CN=console"]
          viewers = ["O=CaptureActors dev, CN=viewer"]
        }
        """);

    /// <summary>A proof as capturectl makes it: <paramref name="signer"/>'s certificate, signed with <paramref name="key"/> (default: its own key).</summary>
    public static SessionProof Proof(SessionChallenge challenge, TlsCredentials signer, string sessionPath, TlsCredentials? key = null) =>
        new(challenge.Nonce, signer.Certificate.RawData,
            SessionProofText.Sign((key ?? signer).Certificate, SessionProofText.Build(challenge.Nonce, challenge.Node, sessionPath)));

    public void Dispose()
    {
        Console.Dispose();
        Viewer.Dispose();
        Stranger.Dispose();
        OtherCaConsole.Dispose();
        _ours.Dispose();
        _theirs.Dispose();
    }

    private static TlsFiles Files(DevCertificates certificates, string name) => new(certificates.Pem(name), certificates.Key(name), certificates.Ca);
}
