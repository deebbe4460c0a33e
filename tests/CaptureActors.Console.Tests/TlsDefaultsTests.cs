using CaptureActors.Protocol.Security;

namespace CaptureActors.Console.Tests;

/// <summary>Where capturectl's TLS files come from: options, then CAPTURE_TLS_CERT/KEY/CA, then CAPTURE_TLS_DIR.</summary>
public sealed class TlsDefaultsTests
{
    [Fact]
    public void Capture_tls_dir_gives_the_console_s_three_files()
    {
        var files = TlsDefaults.Resolve(null, null, null, Environment(("CAPTURE_TLS_DIR", "/lab/tls")), out var problem);
        Assert.Null(problem);
        Assert.Equal(new TlsFiles("/lab/tls/console.pem", "/lab/tls/console.key", "/lab/tls/ca.pem"), files);
    }

    [Fact]
    public void Options_win_over_variables_which_win_over_the_directory_file_by_file()
    {
        var files = TlsDefaults.Resolve(
            "/lab/tls/viewer.pem", null, null,
            Environment(("CAPTURE_TLS_DIR", "/lab/tls"), ("CAPTURE_TLS_KEY", "/keys/viewer.key"), ("CAPTURE_TLS_CERT", "/ignored.pem")),
            out var problem);
        Assert.Null(problem);
        Assert.Equal(new TlsFiles("/lab/tls/viewer.pem", "/keys/viewer.key", "/lab/tls/ca.pem"), files);
    }

    [Fact]
    public void No_option_and_no_variable_is_plain_tcp_and_half_a_set_is_a_problem()
    {
        Assert.Null(TlsDefaults.Resolve(null, null, null, Environment(), out var problem));
        Assert.Null(problem);
        Assert.Null(TlsDefaults.Resolve(null, null, null, Environment(("CAPTURE_TLS_CERT", "/c.pem"), ("CAPTURE_TLS_CA", " ")), out problem));
        Assert.EndsWith("missing --tls-key and --tls-ca", problem, StringComparison.Ordinal);
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
