namespace CaptureActors.TestSupport;

/// <summary>
/// A dev CA and certificates made by <c>deploy/tls/make-dev-certs.sh</c> (the script users run) in a temp directory:
/// <c>ca.pem</c>, <c>agent.pem/.key</c>, <c>console.pem/.key</c> and one pair per extra client name. Each instance is a
/// new CA, so two instances give "a certificate from another CA".
/// </summary>
public sealed class DevCertificates : IDisposable
{
    private readonly TempDirectory directory = new("ca-tls-");

    public DevCertificates(params string[] clients)
    {
        ProcessRunner.Run(Script, [directory.Path, .. clients], TimeSpan.FromSeconds(30)).EnsureSuccess("make-dev-certs.sh");
    }

    /// <summary>deploy/tls/make-dev-certs.sh of this repository.</summary>
    public static string Script => Path.Combine(RepositoryRoot, "deploy", "tls", "make-dev-certs.sh");

    /// <summary>The directory holding CaptureActors.sln above the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !System.IO.File.Exists(Path.Combine(root.FullName, "CaptureActors.sln")))
            {
                root = root.Parent;
            }

            return root?.FullName ?? throw new InvalidOperationException($"CaptureActors.sln not found above {AppContext.BaseDirectory}");
        }
    }

    public string Directory => directory.Path;

    public string Ca => PemFile("ca");

    public string Pem(string name) => PemFile(name);

    public string Key(string name) => Path.Combine(directory.Path, name + ".key");

    /// <summary>The <c>--tls-cert/--tls-key/--tls-ca</c> arguments for <paramref name="name"/> (agent, console, or a client).</summary>
    public string[] Arguments(string name) => ["--tls-cert", Pem(name), "--tls-key", Key(name), "--tls-ca", Ca];

    public void Dispose() => directory.Dispose();

    private string PemFile(string name) => Path.Combine(directory.Path, name + ".pem");
}
