using System.Diagnostics;
using CaptureActors.Controller.Nodes;

namespace CaptureActors.Controller.Tests;

/// <summary>
/// <c>--nodes FILE</c> is read within bounds (issue 14: <c>--nodes /dev/zero</c> grew to 8 GB and aborted). Each
/// refusal names the file, the line where there is one, and the limit; nothing blocks on a FIFO.
/// </summary>
public sealed class NodesFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ca-nodes-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string Refusal(string path) =>
        Assert.Throws<NodeSelectionException>(() => NodeRegistry.Load([], [path])).Message;

    [Fact]
    public void A_character_device_is_refused_without_reading_it() =>
        Assert.Equal("nodes file /dev/zero is not a regular file (a character device): give a text file of NAME=HOST:PORT lines", Refusal("/dev/zero"));

    [Fact]
    public void A_directory_is_refused() =>
        Assert.Equal($"nodes file {_directory} is not a regular file (a directory): give a text file of NAME=HOST:PORT lines", Refusal(_directory));

    [Fact]
    public async Task A_fifo_without_a_writer_is_refused_at_once()
    {
        var fifo = Path.Combine(_directory, "fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Bounded: a read that blocked on the FIFO would fail the test with a TimeoutException instead of hanging it.
        var refusal = await Task.Run(() => Refusal(fifo)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal($"nodes file {fifo} is not a regular file (a FIFO): give a text file of NAME=HOST:PORT lines", refusal);
    }

    [Fact]
    public void A_file_over_1_MiB_is_refused()
    {
        var path = Write("big", [.. Enumerable.Repeat((byte)'#', 2 << 20)]);

        Assert.Equal($"nodes file {path} is larger than 1 MiB: at most 1,048,576 bytes are allowed", Refusal(path));
    }

    [Fact]
    public void A_file_of_exactly_1_MiB_is_read()
    {
        var path = Write("full", [.. "a=127.0.0.1:1\n"u8, .. Enumerable.Repeat((byte)'\n', NodesFile.MaxBytes - 14)]);

        Assert.Equal(["a"], NodeRegistry.Load([], [path]).Nodes.Select(n => n.Name));
    }

    [Fact]
    public void A_line_over_4096_characters_is_refused_naming_the_line()
    {
        var path = Write("long", [.. "a=127.0.0.1:1\n"u8, .. System.Text.Encoding.UTF8.GetBytes("b=" + new string('x', 10_240) + "\n")]);

        Assert.Equal($"{path}:2: line is 10,242 characters long: at most 4,096 are allowed in a nodes file", Refusal(path));
    }

    [Fact]
    public void Binary_content_is_refused()
    {
        var invalid = Write("binary", [0x61, 0x3d, 0xff, 0xfe, 0x00, 0x0a]);
        var nul = Write("nul", [.. "a=127.0.0.1:1\n"u8, .. "b=127.0.0.1:2\0\n"u8]);

        Assert.Equal($"nodes file {invalid} is not UTF-8 text (a binary file?): expected one NAME=HOST:PORT a line", Refusal(invalid));
        Assert.Equal($"{nul}:2: control character U+0000 at column 14: a nodes file is text (a binary file?)", Refusal(nul));
    }

    [Fact]
    public void Windows_line_ends_and_tabs_are_text()
    {
        var path = Write("crlf", "# lab\r\na=127.0.0.1:1\t# first\r\nb=127.0.0.1:2\r\n"u8.ToArray());

        Assert.Equal(["a", "b"], NodeRegistry.Load([], [path]).Nodes.Select(n => n.Name));
    }

    [Fact]
    public void More_than_10000_nodes_are_refused_and_many_problems_are_counted()
    {
        var nodes = Write("nodes", System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, NodeRegistry.MaxNodes + 5).Select(i => $"n{i}=127.0.0.1:{1 + (i % 60000)}\n"))));
        var garbage = Write("garbage", System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 500).Select(i => $"garbage{i}\n"))));

        Assert.Equal($"{nodes}:10001: more than 10,000 nodes: at most 10,000 are allowed", Refusal(nodes));
        var lines = Refusal(garbage).Split(Environment.NewLine);
        Assert.Equal(21, lines.Length);
        Assert.StartsWith($"{garbage}:1: 'garbage0' is not a node", lines[0], StringComparison.Ordinal);
        Assert.Equal("and 480 more problems", lines[^1]);
    }
}
