namespace CaptureActors.TestSupport;

/// <summary>A small tmpfs mounted on a temp directory (root only), to make a real "no space left on device". Unmounted on dispose.</summary>
public sealed class TmpfsMount : IDisposable
{
    private readonly TempDirectory _directory = new("ca-tmpfs-");
    private bool _mounted;

    public TmpfsMount(int sizeBytes)
    {
        Privilege.Require();
        ProcessRunner.Run("mount", "-t", "tmpfs", "-o", $"size={sizeBytes},mode=0750", "tmpfs", _directory.Path).EnsureSuccess("mount tmpfs");
        _mounted = true;
    }

    public string Path => _directory.Path;

    public string File(string name) => _directory.File(name);

    public void Dispose()
    {
        if (_mounted)
        {
            ProcessRunner.Run("umount", "-l", _directory.Path);
            _mounted = false;
        }

        _directory.Dispose();
    }
}
