using System.Globalization;

namespace CaptureActors.Probes.Sockets;

/// <summary>uid → user name from the password database (<c>/etc/passwd</c>); unknown uids show as their number.</summary>
public sealed class UserNames
{
    private readonly Dictionary<int, string> _names = [];

    private UserNames()
    {
    }

    public static UserNames Read(string passwdFile)
    {
        var users = new UserNames();
        string[] lines;
        try
        {
            lines = File.ReadAllLines(passwdFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return users;
        }

        foreach (var line in lines)
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                users._names.TryAdd(uid, fields[0]);
            }
        }

        return users;
    }

    public string NameOf(int uid) => _names.TryGetValue(uid, out var name) ? name : uid.ToString(CultureInfo.InvariantCulture);
}
