using CaptureActors.Agent.Hosting;
using CaptureActors.TestSupport;

namespace CaptureActors.Agent.Tests;

/// <summary>
/// <see cref="HoconSyntax"/>: what Akka's parser loads without a word (or, for one case, loops on) is named with its line
/// and column; the shipped files and ordinary HOCON pass.
/// </summary>
public sealed class HoconSyntaxTests
{
    [Theory]
    [InlineData("a { b = 1", 1, 3, "'{' is never closed (the file ends at line 1)")]
    [InlineData("a {\n  b = 1\n  c = [1, 2\n}\n", 4, 1, "'}' where the '[' of line 3, column 7 must be closed with ']'")]
    [InlineData("a = 1\n}\n", 2, 1, "'}' closes nothing (no '{' is open here)")]
    [InlineData("a = [1, 2", 1, 5, "'[' is never closed (the file ends at line 1)")]
    [InlineData("a = \"open\nb = 2\n", 1, 5, "a quoted string is not closed on its line (a '\"' is missing)")]
    [InlineData("a = \"\"\"open\n", 1, 5, "a \"\"\" string is never closed")]
    [InlineData("b = { c = }", 1, 11, "'c' has no value after its '=' or ':'")]
    [InlineData("x = 1\na b c\n", 2, 6, "'a b c' has no value: expected '=', ':' or '{' after it")]
    [InlineData("a = ${nosuch\n", 1, 5, "a substitution '${' is not closed with '}' on its line")]
    [InlineData("a {\n  b {\n    c = 1\n", 2, 5, "'{' is never closed (the file ends at line 3 with 2 brackets open)")]
    [InlineData("= 1", 1, 1, "'=' without a key before it")]
    public void A_malformed_file_is_refused_at_the_place_that_is_wrong(string text, int line, int column, string problem) =>
        Assert.Equal(new HoconSyntaxError(line, column, problem), HoconSyntax.Check(text));

    /// <summary>
    /// Why the check exists: Akka's parser loads these without a word. (Not called here: "c = [1, 2" closed by "}" makes
    /// it loop, allocating without bound; that is what the check keeps from the agent.)
    /// </summary>
    [Theory]
    [InlineData("a { b = 1")]
    [InlineData("a = 1\n}\n")]
    [InlineData("a = \"open\nb = 2\n")]
    [InlineData("b = { c = }")]
    [InlineData("x = 1\na b c\n")]
    public void Akka_s_own_parser_loads_malformed_files_silently(string text)
    {
        Akka.Configuration.ConfigurationFactory.ParseString(text);
        Assert.NotNull(HoconSyntax.Check(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n// and another\n")]
    [InlineData("{ a = 1 }")]
    [InlineData("a.b.c = 1\na { d : \"}\" # } not a brace\n e = [1, {f = 2}, \"]\"] }\n")]
    [InlineData("akka.remote.dot-netty.tcp.hostname = localhost:2552 // a comment\n")]
    [InlineData("include \"other.conf\"\na = ${?HOME} \"x\"\nb += 1\nc = \"\"\"multi\n} line\"\"\"\n")]
    [InlineData("capture-agent.authorization {\n  operators = [\"CN=console\"], viewers = [\n    \"CN=viewer\"\n  ]\n}\n")]
    [InlineData("a =\n  1\n")]
    public void Ordinary_hocon_passes(string text) => Assert.Null(HoconSyntax.Check(text));

    [Theory]
    [InlineData("agent.hocon")]
    [InlineData("capturectl.hocon")]
    [InlineData("controller.hocon")]
    [InlineData("remote-tls.hocon")]
    public void The_shipped_files_pass(string name) =>
        Assert.Null(HoconSyntax.Check(File.ReadAllText(Path.Combine(DevCertificates.RepositoryRoot, "hocon", name))));
}
