using CaptureActors.Agent.Storage;
using CaptureActors.TestSupport;

namespace CaptureActors.Agent.Tests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DataDirectoryGuardTests : IDisposable
{
    private readonly TempDirectory _dir = new("ca-guard-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_missing_data_directory_and_its_captures_directory_are_created_0750()
    {
        string data = Path.Combine(_dir.Path, "node", "data");

        IReadOnlyList<string> warnings = DataDirectoryGuard.Prepare(data);

        Assert.Empty(warnings);
        Assert.Equal(DataDirectoryGuard.DirectoryMode, File.GetUnixFileMode(data));
        Assert.Equal(DataDirectoryGuard.DirectoryMode, File.GetUnixFileMode(Path.Combine(data, "captures")));
        Assert.Empty(Directory.GetFiles(data)); // the write check leaves nothing behind
    }

    [Theory]
    [InlineData("777")]
    [InlineData("1777")] // sticky like /tmp: still anyone can plant files
    [InlineData("702")]
    public void A_world_writable_data_directory_is_refused_with_what_to_do(string mode)
    {
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)Convert.ToInt32(mode, 8));

        var e = Assert.Throws<UnsafeDataDirectoryException>(() => DataDirectoryGuard.Prepare(_dir.Path));

        Assert.Equal(
            $"data directory {_dir.Path} is writable by every user (mode {mode.PadLeft(4, '0')}): anyone could plant or replace capture files; " +
            $"make it writable by the agent's user only (chmod o-w {_dir.Path}; the agent creates its directories 0750) or choose another --data-dir",
            e.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "captures")));
    }

    [Fact]
    public void A_world_writable_captures_directory_is_refused_too()
    {
        File.SetUnixFileMode(_dir.Path, DataDirectoryGuard.DirectoryMode);
        string captures = Directory.CreateDirectory(Path.Combine(_dir.Path, "captures")).FullName;
        File.SetUnixFileMode(captures, (UnixFileMode)Convert.ToInt32("777", 8));

        var e = Assert.Throws<UnsafeDataDirectoryException>(() => DataDirectoryGuard.Prepare(_dir.Path));
        Assert.StartsWith($"data directory {captures} is writable by every user", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("770", "its group may write to it")]
    [InlineData("755", "every user may read the captures in it")]
    [InlineData("775", "its group may write to it and every user may read the captures in it")]
    public void A_group_writable_or_world_readable_data_directory_is_used_with_a_warning(string mode, string who)
    {
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)Convert.ToInt32(mode, 8));

        IReadOnlyList<string> warnings = DataDirectoryGuard.Prepare(_dir.Path);

        Assert.Equal($"data directory {_dir.Path} has mode 0{mode}: {who}; chmod 0750 {_dir.Path} keeps them to the agent's user and group", Assert.Single(warnings));
        Assert.True(Directory.Exists(Path.Combine(_dir.Path, "captures")));
    }

    [Fact]
    public void A_file_in_place_of_the_data_directory_is_refused()
    {
        string file = _dir.File("not-a-dir");
        File.WriteAllText(file, "x");

        var e = Assert.Throws<UnsafeDataDirectoryException>(() => DataDirectoryGuard.Prepare(file));
        Assert.Equal($"data directory {file} is a file, not a directory: --data-dir names a directory (created when missing)", e.Message);
    }

    [Fact]
    public void Inspect_creates_nothing_and_finds_nothing_wrong_with_a_missing_data_directory()
    {
        string data = Path.Combine(_dir.Path, "not-yet");

        Assert.Empty(DataDirectoryGuard.Inspect(data));
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public void Inspect_refuses_an_existing_world_writable_captures_directory_and_warns_on_a_readable_data_directory()
    {
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        Assert.Equal(
            [$"data directory {_dir.Path} has mode 0755: every user may read the captures in it; chmod 0750 {_dir.Path} keeps them to the agent's user and group"],
            DataDirectoryGuard.Inspect(_dir.Path));

        string captures = Directory.CreateDirectory(Path.Combine(_dir.Path, "captures")).FullName;
        File.SetUnixFileMode(captures, (UnixFileMode)Convert.ToInt32("777", 8));
        var e = Assert.Throws<UnsafeDataDirectoryException>(() => DataDirectoryGuard.Inspect(_dir.Path));
        Assert.StartsWith($"data directory {captures} is writable by every user (mode 0777)", e.Message, StringComparison.Ordinal);
    }
}
