using Spectre.Console;

namespace CaptureActors.Console;

/// <summary>Where a run of capturectl writes, and what kind of terminal that is.</summary>
/// <param name="Out">Results (tables, JSON). Nothing else may reach it in JSON mode.</param>
/// <param name="Error">Errors and diagnostics, each prefixed <c>capturectl: </c>.</param>
/// <param name="IsTerminal">Out is an interactive terminal: live displays and progress bars; otherwise plain lines.</param>
/// <param name="Color">Colours allowed (a terminal and no NO_COLOR).</param>
public sealed record AppIo(TextWriter Out, TextWriter Error, bool IsTerminal, bool Color)
{
    /// <summary>
    /// The process's own console: a terminal only when stdout is not redirected; NO_COLOR turns colours off.
    /// Only what is written through <see cref="Out"/> reaches stdout: anything else written to <c>Console.Out</c> (Akka's
    /// fallback logger, before its logger factory starts or after it stops) is sent to stderr, so <c>--json</c> output
    /// stays one document.
    /// </summary>
    public static AppIo ForProcessConsole()
    {
        var terminal = !System.Console.IsOutputRedirected;
        var noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var stdout = System.Console.Out;
        System.Console.SetOut(System.Console.Error);
        return new AppIo(stdout, System.Console.Error, terminal, terminal && !noColor);
    }

    /// <summary>
    /// ANSI escape codes without detecting them: a writer known to reach a terminal that understands them (tests that look
    /// at live displays). Otherwise Spectre.Console detects ANSI support from the environment.
    /// </summary>
    public bool ForceAnsi { get; init; }

    /// <summary>Plain output to writers (tests, pipes): no terminal, no colour.</summary>
    public static AppIo Plain(TextWriter output, TextWriter error) => new(output, error, false, false);

    /// <summary>A Spectre console over <see cref="Out"/>; without a terminal it writes no escape codes and does not wrap.</summary>
    public IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ForceAnsi ? AnsiSupport.Yes : Color ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        if (!IsTerminal)
        {
            console.Profile.Width = 250;
        }

        return console;
    }

    public void WriteError(string message) => Error.WriteLine($"capturectl: {message}");
}
