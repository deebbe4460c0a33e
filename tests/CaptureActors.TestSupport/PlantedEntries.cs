namespace CaptureActors.TestSupport;

/// <summary>
/// What an intruder with write access to a capture directory plants there: a secret file OUTSIDE it (mode 0600, holding
/// <see cref="Marker"/>), then, under valid capture names, a symbolic link to the secret, a hard link to it, a FIFO and a
/// directory. Tests assert that the store lists none of them and that the marker never comes back. The secret's
/// directory is created beside the capture directory (same file system, so the hard link can be made) and removed on
/// dispose with everything planted.
/// </summary>
public sealed class PlantedEntries : IDisposable
{
    /// <summary>The secret's contents: must never appear in any output, reply or downloaded file.</summary>
    public const string Marker = "CAPTURE-ACTORS-PLANTED-SECRET-5f1c9e";

    private readonly List<string> _planted = [];

    /// <param name="captureDirectory">The node's <c>captures/</c> directory (created when missing).</param>
    /// <param name="node">The node name the planted capture names start with.</param>
    /// <param name="secretParent">Where the secret's directory goes (the same file system); default: beside the capture directory.</param>
    public PlantedEntries(string captureDirectory, string node, string? secretParent = null)
    {
        CaptureDirectory = captureDirectory;
        Directory.CreateDirectory(captureDirectory);
        var parent = secretParent ?? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(captureDirectory).TrimEnd('/'))!;
        SecretDirectory = System.IO.Path.Combine(parent, "outside-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(SecretDirectory);
        SecretPath = System.IO.Path.Combine(SecretDirectory, "secret");
        File.WriteAllText(SecretPath, $"root:{Marker}:19000:0:99999:7:::\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(SecretPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        SymlinkName = $"{node}_lo_20991231T000000Z_001.pcap";
        HardLinkName = $"{node}_lo_20991231T000000Z_002.pcap";
        FifoName = $"{node}_lo_20991231T000000Z_003.pcap";
        DirectoryName = $"{node}_lo_20991231T000000Z_004.pcap";
    }

    public string CaptureDirectory { get; }

    public string SecretDirectory { get; }

    public string SecretPath { get; }

    public string SymlinkName { get; }

    public string HardLinkName { get; }

    public string FifoName { get; }

    public string DirectoryName { get; }

    /// <summary>Every name planted so far.</summary>
    public IReadOnlyList<string> Names => _planted;

    public string PathOf(string name) => System.IO.Path.Combine(CaptureDirectory, name);

    /// <summary><c>ln -s SECRET captures/NAME</c>.</summary>
    public PlantedEntries Symlink()
    {
        File.CreateSymbolicLink(PathOf(SymlinkName), SecretPath);
        _planted.Add(SymlinkName);
        return this;
    }

    /// <summary><c>ln SECRET captures/NAME</c>: a regular file, but with a second name outside the directory.</summary>
    public PlantedEntries HardLink()
    {
        ProcessRunner.Run("ln", [SecretPath, PathOf(HardLinkName)], TimeSpan.FromSeconds(10)).EnsureSuccess("ln");
        _planted.Add(HardLinkName);
        return this;
    }

    /// <summary><c>mkfifo captures/NAME</c>: opening it for reading without O_NONBLOCK waits for a writer forever.</summary>
    public PlantedEntries Fifo()
    {
        ProcessRunner.Run("mkfifo", [PathOf(FifoName)], TimeSpan.FromSeconds(10)).EnsureSuccess("mkfifo");
        _planted.Add(FifoName);
        return this;
    }

    /// <summary><c>mkdir captures/NAME</c>.</summary>
    public PlantedEntries Subdirectory()
    {
        Directory.CreateDirectory(PathOf(DirectoryName));
        _planted.Add(DirectoryName);
        return this;
    }

    /// <summary>Every kind at once.</summary>
    public PlantedEntries All() => Symlink().HardLink().Fifo().Subdirectory();

    /// <summary>The secret is as it was: same contents, still there (a delete or repair went to a link, never its target).</summary>
    public void AssertSecretIntact() =>
        Assert.Equal($"root:{Marker}:19000:0:99999:7:::\n", File.ReadAllText(SecretPath));

    /// <summary>Fails if <paramref name="text"/> holds the marker (or a part of the secret that gives it away).</summary>
    public static void AssertNoSecret(string? text, string where)
    {
        Assert.False(text?.Contains(Marker, StringComparison.Ordinal) ?? false, $"the planted secret leaked in {where}: {text}");
        Assert.False(text?.Contains("root:CAPTURE", StringComparison.Ordinal) ?? false, $"the planted secret's first bytes leaked in {where}: {text}");
    }

    /// <summary>Fails if any file under <paramref name="directory"/> holds the marker. For output directories: regular files only (a FIFO would block the read).</summary>
    public static void AssertNoSecretIn(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(file).LinkTarget is null)
            {
                AssertNoSecret(File.ReadAllText(file), file);
            }
        }
    }

    public void Dispose()
    {
        foreach (var name in _planted)
        {
            var path = PathOf(name);
            try
            {
                if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
                {
                    Directory.Delete(path);
                }
                else
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
                // Best effort: the data directory's own cleanup removes the rest.
            }
        }

        try
        {
            Directory.Delete(SecretDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
