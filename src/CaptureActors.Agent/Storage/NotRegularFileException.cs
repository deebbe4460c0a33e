namespace CaptureActors.Agent.Storage;

/// <summary>
/// <see cref="RegularFile"/> refused to read an entry: a symbolic link, a FIFO, a directory, a device, a file with more
/// than one hard link, or a file other than the one checked. The message names the entry and the reason only.
/// </summary>
/// <param name="name">The entry's name (the last component of its path).</param>
/// <param name="problem">Why, as the rest of a sentence after its name ("is a symbolic link, not a capture file").</param>
public sealed class NotRegularFileException(string name, string problem) : IOException($"'{name}' {problem}")
{
    public string Name { get; } = name;

    public string Problem { get; } = problem;
}
