namespace CaptureActors.TestSupport;

/// <summary>What tcpdump or tshark made of a capture file.</summary>
/// <param name="Packets">One line per packet.</param>
public sealed record CaptureReadResult(int ExitCode, IReadOnlyList<string> Packets, string StandardError)
{
    public int Count => Packets.Count;
}

/// <summary>Reads capture files with tcpdump (the reference reader).</summary>
public static class Tcpdump
{
    /// <summary><c>tcpdump -nn -r path [filter]</c>.</summary>
    public static CaptureReadResult ReadPackets(string path, string? filter = null)
    {
        List<string> args = ["-nn", "-r", path];
        if (!string.IsNullOrWhiteSpace(filter))
        {
            args.Add(filter);
        }

        ProcessResult r = ProcessRunner.Run("tcpdump", args, TimeSpan.FromSeconds(60));
        return new CaptureReadResult(r.ExitCode, r.Lines, r.StandardError);
    }
}

/// <summary>Reads capture files with tshark (Wireshark's dissectors).</summary>
public static class Tshark
{
    /// <summary><c>tshark -n -r path [-Y displayFilter]</c>.</summary>
    public static CaptureReadResult ReadPackets(string path, string? displayFilter = null)
    {
        List<string> args = ["-n", "-r", path];
        if (!string.IsNullOrWhiteSpace(displayFilter))
        {
            args.AddRange(["-Y", displayFilter]);
        }

        ProcessResult r = ProcessRunner.Run("tshark", args, TimeSpan.FromSeconds(60));
        return new CaptureReadResult(r.ExitCode, r.Lines, r.StandardError);
    }
}
