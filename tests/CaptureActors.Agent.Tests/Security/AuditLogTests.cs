using System.Text.Json;
using CaptureActors.Agent.Security;
using CaptureActors.TestSupport;

namespace CaptureActors.Agent.Tests.Security;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AuditLogTests : IDisposable
{
    private readonly TempDirectory _directory = new("ca-audit-");

    public void Dispose() => _directory.Dispose();

    private static AuditEntry Entry(string what) =>
        new(DateTime.UtcNow, "node1", "CN=console, O=x", true, "operator", "akka.tcp://capturectl@127.0.0.1:1", what, "StartCapture",
            new Dictionary<string, object?> { ["filter"] = "udp port 53\nforged line" }, "ok");

    [Fact]
    public void Lines_are_appended_as_json_to_a_0600_file_that_is_never_truncated_and_followed_after_a_rename()
    {
        var path = Path.Combine(_directory.Path, "sub", "audit.log");
        var log = AuditLog.Open(path, e => Assert.Fail(e));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        log.Write(Entry("first"));
        AuditLog.Open(path, e => Assert.Fail(e)).Write(Entry("second")); // a restarted agent appends
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Equal(["first", "second"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("what").GetString()));
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.EndsWith("Z", first.GetProperty("time").GetString());
        Assert.Equal("udp port 53\nforged line", first.GetProperty("arguments").GetProperty("filter").GetString()); // escaped: one line

        File.Move(path, path + ".1"); // logrotate's rename
        log.Write(Entry("third"));
        Assert.Equal(2, File.ReadAllLines(path + ".1").Length);
        Assert.Equal("third", JsonDocument.Parse(File.ReadAllLines(path).Single()).RootElement.GetProperty("what").GetString());
    }

    [Fact]
    public void A_line_that_cannot_be_written_is_reported_not_thrown()
    {
        var path = Path.Combine(_directory.Path, "audit.log");
        var errors = new List<string>();
        var log = AuditLog.Open(path, errors.Add);
        File.Delete(path);
        Directory.CreateDirectory(path); // the name is now a directory: open(2) fails

        log.Write(Entry("lost"));

        Assert.Contains(errors, e => e.Contains($"cannot open {path}", StringComparison.Ordinal) && e.Contains("\"what\":\"lost\"", StringComparison.Ordinal));
    }
}
