namespace CaptureActors.Console.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessConsoleCollection
{
    public const string Name = "process console";
}

/// <summary>capturectl's stdout carries results only: a stray write to Console.Out (Akka's fallback logger) goes to stderr.</summary>
[Collection(ProcessConsoleCollection.Name)]
public sealed class ProcessConsoleTests
{
    [Fact]
    public void Writes_to_Console_Out_other_than_results_go_to_stderr()
    {
        var (originalOut, originalError) = (System.Console.Out, System.Console.Error);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        System.Console.SetOut(stdout);
        System.Console.SetError(stderr);
        try
        {
            var io = AppIo.ForProcessConsole();
            io.Out.Write("{\"nodes\":[]}");
            System.Console.Out.Write("[WARNING][akka] a fallback log line");

            Assert.Equal("{\"nodes\":[]}", stdout.ToString());
            Assert.Contains("[WARNING][akka] a fallback log line", stderr.ToString());
        }
        finally
        {
            System.Console.SetOut(originalOut);
            System.Console.SetError(originalError);
        }
    }
}
