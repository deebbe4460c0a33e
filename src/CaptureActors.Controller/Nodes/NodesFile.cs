using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CaptureActors.Controller.Nodes;

/// <summary>
/// Reads a <c>--nodes FILE</c> within bounds: a regular file (a FIFO, a device such as <c>/dev/zero</c>, a directory or
/// a socket is refused without reading: it is opened non-blocking and its type checked on the open handle, so a FIFO
/// without a writer cannot hang the console), at most <see cref="MaxBytes"/> (never more than that is read), UTF-8
/// text with lines of at most <see cref="MaxLineLength"/> characters and no control character but tab. Each refusal
/// names the file (and the line) and the limit, as an <see cref="IOException"/>.
/// </summary>
public static partial class NodesFile
{
    /// <summary>1 MiB: about 30,000 lines of <c>name=host:port</c>, far more than <see cref="NodeRegistry.MaxNodes"/>.</summary>
    public const int MaxBytes = 1 << 20;

    public const int MaxLineLength = 4096;

    private const int ORdOnly = 0, ONoCtty = 0x100, ONonBlock = 0x800, OCloExec = 0x80000;
    private const int AtEmptyPath = 0x1000, StatxType = 0x1;
    private const int FileTypeMask = 0xF000, RegularFile = 0x8000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's lines (without line ends), or an <see cref="IOException"/> saying which bound it breaks.</summary>
    public static IReadOnlyList<string> ReadLines(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = ReadBounded(path);
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new IOException($"nodes file {path} is not UTF-8 text (a binary file?): expected one NAME=HOST:PORT a line");
        }

        var lines = text.Split('\n');
        if (lines[^1].Length == 0)
        {
            lines = lines[..^1];
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            lines[i] = line;
            if (line.Length > MaxLineLength)
            {
                throw new IOException(string.Create(
                    CultureInfo.InvariantCulture, $"{path}:{i + 1}: line is {line.Length:N0} characters long: at most {MaxLineLength:N0} are allowed in a nodes file"));
            }

            var control = FirstControl(line);
            if (control >= 0)
            {
                throw new IOException(string.Create(
                    CultureInfo.InvariantCulture, $"{path}:{i + 1}: control character U+{(int)line[control]:X4} at column {control + 1}: a nodes file is text (a binary file?)"));
            }
        }

        return lines;
    }

    /// <summary>The index of the first control character but tab, or -1.</summary>
    private static int FirstControl(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] != '\t' && char.IsControl(line[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Opens without blocking, checks the handle is a regular file, reads at most <see cref="MaxBytes"/> + 1 bytes.</summary>
    private static byte[] ReadBounded(string path)
    {
        var fd = Open(path, ORdOnly | ONonBlock | OCloExec | ONoCtty);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot read nodes file {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        using var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        if (Statx(fd, "", AtEmptyPath, StatxType, out var status) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot read nodes file {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        if ((status.Mode & FileTypeMask) != RegularFile)
        {
            throw new IOException($"nodes file {path} is not a regular file ({Kind(status.Mode)}): give a text file of NAME=HOST:PORT lines");
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var buffer = new byte[MaxBytes + 1];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read > MaxBytes)
        {
            throw new IOException(string.Create(
                CultureInfo.InvariantCulture, $"nodes file {path} is larger than 1 MiB: at most {MaxBytes:N0} bytes are allowed"));
        }

        return buffer[..read];
    }

    private static string Kind(ushort mode) => (mode & FileTypeMask) switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "not a plain file",
    };

    /// <summary>The start of <c>struct statx</c> (linux/stat.h), the same on every architecture; 256 bytes in all.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxHead
    {
        [FieldOffset(28)]
        public ushort Mode;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxHead status);
}
