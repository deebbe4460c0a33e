using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands;

/// <summary>Prints a <see cref="FilesDeleted"/> reply: deleted names on stdout, each refusal on stderr; 1 if any refused.</summary>
public static class FilesDeletedReport
{
    public static int Write(CommandContext context, FilesDeleted result, bool summaryOnly)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Io.Out, result);
        }
        else
        {
            if (summaryOnly)
            {
                context.Io.Out.WriteLine($"removed {result.Deleted.Count} file{(result.Deleted.Count == 1 ? "" : "s")}");
            }
            else
            {
                foreach (var name in result.Deleted)
                {
                    context.Io.Out.WriteLine($"deleted {name}");
                }
            }

            foreach (var refusal in result.Refused)
            {
                context.Io.WriteError($"{refusal.Name}: {refusal.Message}");
            }
        }

        return result.Refused.Count > 0 ? ExitCodes.Failed : ExitCodes.Done;
    }
}
