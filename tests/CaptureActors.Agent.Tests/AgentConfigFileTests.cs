using Akka.Configuration;
using CaptureActors.Agent.Hosting;
using CaptureActors.TestSupport;

namespace CaptureActors.Agent.Tests;

/// <summary><see cref="AgentConfigFile"/>: the settings a --config may not change, each refused by name; the rest pass.</summary>
public sealed class AgentConfigFileTests : IDisposable
{
    private static readonly Config Defaults =
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(DevCertificates.RepositoryRoot, "hocon", "agent.hocon")));

    private readonly TempDirectory _directory = new("ca-config-");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("akka.remote.untrusted-mode = off", false, "akka.remote.untrusted-mode = off is refused")]
    [InlineData("akka.remote.trusted-selection-paths = [\"/user/agent\", \"/system/remote-watcher\", \"/user\"]", false,
        "akka.remote.trusted-selection-paths = [/user/agent, /system/remote-watcher, /user] is refused")]
    [InlineData("akka.actor.serializers.json = \"Akka.Serialization.NewtonSoftJsonSerializer, Akka\"", false, "akka.actor.serializers.json is refused")]
    [InlineData("akka.actor.serialization-bindings { \"System.Object\" = json }", false, "akka.actor.serialization-bindings.System.Object is refused")]
    [InlineData("akka.actor.serialization-identifiers { \"Akka.Serialization.NewtonSoftJsonSerializer, Akka\" = 99 }", false, "akka.actor.serialization-identifiers")]
    [InlineData("akka.remote.enabled-transports = [\"akka.remote.other\"]", false, "akka.remote.enabled-transports is refused")]
    [InlineData("akka.remote.dot-netty.tcp.enable-ssl = off", true, "enable-ssl = off is refused")]
    [InlineData("akka.remote.dot-netty.tcp.enable-ssl = on", false, "enable-ssl = on is refused")]
    [InlineData("akka.remote.dot-netty.tcp.ssl.suppress-validation = on", true, "suppress-validation = on is refused")]
    [InlineData("akka.remote.dot-netty.tcp.ssl.require-mutual-authentication = off", true, "require-mutual-authentication = off is refused")]
    public void A_setting_that_turns_off_a_safety_is_refused_naming_the_file_and_the_setting(string line, bool tls, string expected)
    {
        var file = Write(line);
        var problem = AgentConfigFile.Problem(file, tls, Defaults);
        Assert.NotNull(problem);
        Assert.StartsWith($"--config {file}: ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("akka.loglevel = DEBUG\ncapture-agent.disk.floor = \"5%\"\ncapture-agent.authorization.operators = [\"CN=ops\"]")]
    [InlineData("akka.remote.untrusted-mode = on\nakka.remote.trusted-selection-paths = [\"/system/remote-watcher\", \"/user/agent\"]")]
    [InlineData("akka.remote.dot-netty.tcp.ssl.validate-certificate-hostname = on")]
    public void Ordinary_settings_and_the_defaults_repeated_pass(string text) =>
        Assert.Null(AgentConfigFile.Problem(Write(text), tls: true, Defaults));

    [Fact]
    public void An_unbalanced_file_is_named_with_its_position()
    {
        var file = Write("akka {\n  loglevel = DEBUG\n");
        Assert.Equal($"--config {file}: line 1, column 6: '{{' is never closed (the file ends at line 3)", AgentConfigFile.Problem(file, tls: false, Defaults));
    }

    private string Write(string text)
    {
        var file = _directory.File($"agent-{Guid.NewGuid():N}.hocon");
        File.WriteAllText(file, text + "\n");
        return file;
    }
}
