namespace CaptureActors.Console.Shell;

/// <summary>An entry of a shell menu: a submenu or an action.</summary>
public abstract record ShellItem(string Name, string Description);

/// <summary>A menu: its items are chosen by name (any case) or, when <paramref name="Numbered"/>, by number.</summary>
/// <param name="Question">The line above the items, in the appliance's words (netstat asks for information, not an operation).</param>
public sealed record ShellMenu(string Name, string Description, IReadOnlyList<ShellItem> Items, bool Numbered = false, string Question = ShellMenu.OperationQuestion)
    : ShellItem(Name, Description)
{
    public const string OperationQuestion = "Choose the operation you want to perform:";

    public ShellItem? Find(string answer)
    {
        var text = answer.Trim();
        if (Numbered && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 && number <= Items.Count ? Items[number - 1] : null;
        }

        return Items.FirstOrDefault(i => string.Equals(i.Name, text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The menu as the appliance shows it.</summary>
    public IEnumerable<string> Lines()
    {
        yield return "";
        yield return Question;
        for (var i = 0; i < Items.Count; i++)
        {
            yield return Numbered ? $"{i + 1}. {Items[i].Description}" : $"- {Items[i].Name} - {Items[i].Description}";
        }
    }

    public string Choices => Numbered ? $"1 to {Items.Count}" : string.Join(", ", Items.Select(i => i.Name));
}

/// <summary>A menu entry that does something (runs commands, asks questions) and comes back to its menu.</summary>
public sealed record ShellAction(string Name, string Description, Func<Task> RunAsync) : ShellItem(Name, Description);
