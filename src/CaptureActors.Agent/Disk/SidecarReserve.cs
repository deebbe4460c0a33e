using CaptureActors.Agent.Storage;

namespace CaptureActors.Agent.Disk;

/// <summary>
/// A few pages written (not sparse) beside a running capture's sidecar and released just before the final sidecar is
/// written, so that a capture that ends because the disk is full (<c>write-error</c>) can still finish its sidecar.
/// </summary>
public sealed class SidecarReserve : IDisposable
{
    /// <summary>Room kept for the final sidecar: a capture of one interface and a few hundred ring files fits.</summary>
    public const int Bytes = 64 * 1024;

    private readonly string _path;

    private SidecarReserve(string path) => _path = path;

    /// <summary>Writes the reserve at <paramref name="sidecarPath"/>.reserve; null when there is no room for it.</summary>
    public static SidecarReserve? TryCreate(string sidecarPath)
    {
        var path = sidecarPath + ".reserve";
        try
        {
            using (var stream = RegularFile.CreateNew(path))
            {
                stream.Write(new byte[Bytes]);
                stream.Flush(flushToDisk: true);
            }

            return new SidecarReserve(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Release(path);
            return null;
        }
    }

    /// <summary>Gives the room back (idempotent).</summary>
    public void Dispose() => Release(_path);

    private static void Release(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: a reserve that cannot be deleted only keeps its 64 KB.
        }
    }
}
