using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.Probes.Tests.Neighbours;

/// <summary>
/// <c>diagnostic network flush</c> as the catalog wires it: both neighbour caches through <c>ip</c> (a stand-in here, so
/// the machine's own caches are never touched) and the node's DNS resolver, the one smtpping's MX lookups use.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FlushCatalogTests : IDisposable
{
    private readonly TempDirectory _directory = new("ca-fake-ip-");

    public FlushCatalogTests()
    {
        var script = $"""
            #!/bin/sh
            echo "$@" >> '{_directory.File("calls.txt")}'
            case "$*" in *-j*) echo '[]';; esac
            """;
        File.WriteAllText(_directory.File("ip"), script.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(_directory.File("ip"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Flush_empties_both_neighbour_caches_and_the_nodes_DNS_cache()
    {
        var catalog = new ProbeCatalog(new ProbeEnvironment { IpCommand = _directory.File("ip") });

        var report = Assert.IsType<FlushReport>(
            await catalog.RunAsync(new FlushCaches("f"), new ProbeContext(_ => { }, CancellationToken.None)));

        Assert.True(report.DnsCacheFlushed);
        Assert.Equal(1, catalog.Resolver.Flushes);
        var calls = File.ReadAllLines(_directory.File("calls.txt"));
        Assert.Contains("-4 neigh flush all", calls);
        Assert.Contains("-6 neigh flush all", calls);
    }
}
