using System.Globalization;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Rendering;

/// <summary>
/// The agent restarts a detached capture resumed from, for the status summary: <c>restarts 1 (agent down
/// 2026-11-24 19:18:03Z to 19:18:08Z)</c>. The gaps are the same on every interface (the whole agent was down).
/// </summary>
public static class AgentRestartText
{
    /// <summary>Null when the capture never resumed after an agent restart.</summary>
    public static string? Describe(CaptureStatus status)
    {
        if (status.Restarts == 0)
        {
            return null;
        }

        var gaps = status.Interfaces.FirstOrDefault()?.Gaps?.Where(g => g.Reason == "agent-restart").ToList() ?? [];
        var text = $"restarts {status.Restarts}";
        return gaps.Count == 0
            ? text
            : $"{text} (agent down {string.Join("; ", gaps.Select(g => $"{TextFormat.Time(g.From)} to {g.To.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}Z"))})";
    }
}
