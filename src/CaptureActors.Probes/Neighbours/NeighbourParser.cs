using System.Text.Json;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Neighbours;

/// <summary>
/// Reads <c>ip -j neigh show</c>: <c>[{"dst":"198.18.0.1","dev":"eth0","lladdr":"02:..","router":null,"state":["REACHABLE"]}]</c>.
/// iproute2 prints flags (router, proxy) as keys with a null value, present only when set.
/// </summary>
public static class NeighbourParser
{
    public static IReadOnlyList<NeighbourEntry> Parse(JsonElement table)
    {
        if (table.ValueKind != JsonValueKind.Array)
        {
            throw new ProbeException(ErrorCode.Internal, $"the neighbour table is a JSON {table.ValueKind}, not an array");
        }

        var entries = new List<NeighbourEntry>();
        foreach (var row in table.EnumerateArray())
        {
            // Proxy entries ("ip neigh add proxy") have no device state; they are not cache entries.
            if (row.ValueKind != JsonValueKind.Object || row.TryGetProperty("proxy", out _) || Text(row, "dst") is not { } address)
            {
                continue;
            }

            var state = row.TryGetProperty("state", out var states) && states.ValueKind == JsonValueKind.Array
                ? string.Join(',', states.EnumerateArray().Select(s => s.GetString()).OfType<string>())
                : "";
            entries.Add(new NeighbourEntry(
                address,
                Text(row, "lladdr"),
                Text(row, "dev") ?? "?",
                state.Length == 0 ? "NONE" : state,
                row.TryGetProperty("router", out _)));
        }

        return entries;
    }

    public static IReadOnlyList<NeighbourEntry> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement);
    }

    private static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
