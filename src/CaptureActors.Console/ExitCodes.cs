namespace CaptureActors.Console;

/// <summary>capturectl's exit codes (design.md §7).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Done = 0;

    /// <summary>The command failed; the message says what and why.</summary>
    public const int Failed = 1;

    /// <summary>Bad command line: unknown command or option, bad value, missing argument.</summary>
    public const int Usage = 2;
}
