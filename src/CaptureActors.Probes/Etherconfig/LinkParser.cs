using System.Globalization;
using System.Text.Json;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Etherconfig;

/// <summary>
/// Reads <c>ip -j -d addr show</c>: per interface <c>ifname</c>, <c>flags</c>, <c>mtu</c>, <c>min_mtu</c>/<c>max_mtu</c>
/// (0 when the device sets none), <c>operstate</c>, <c>link_type</c>, <c>link</c> (the lower device),
/// <c>linkinfo.info_kind</c> with <c>info_data.id</c> for VLANs, and <c>addr_info</c>.
/// </summary>
public static class LinkParser
{
    public static IReadOnlyList<LinkRecord> Parse(JsonElement links)
    {
        if (links.ValueKind != JsonValueKind.Array)
        {
            throw new ProbeException(ErrorCode.Internal, $"the link list is a JSON {links.ValueKind}, not an array");
        }

        var records = new List<LinkRecord>();
        foreach (var link in links.EnumerateArray())
        {
            // "ip addr" prints an entry per interface; entries without a name are not interfaces (never seen, but be safe).
            if (link.ValueKind != JsonValueKind.Object || Text(link, "ifname") is not { } name)
            {
                continue;
            }

            string? kind = null;
            VlanLink? vlan = null;
            if (link.TryGetProperty("linkinfo", out var info) && info.ValueKind == JsonValueKind.Object)
            {
                kind = Text(info, "info_kind");
                if (kind == "vlan" && info.TryGetProperty("info_data", out var data) && Number(data, "id") is { } id)
                {
                    var parent = Text(link, "link")
                        ?? (Number(link, "link_index") is { } index ? $"if{index.ToString(CultureInfo.InvariantCulture)}" : "?");
                    vlan = new VlanLink(parent, id);
                }
            }

            var flags = link.TryGetProperty("flags", out var flagArray) && flagArray.ValueKind == JsonValueKind.Array
                ? flagArray.EnumerateArray().Select(f => f.GetString()).OfType<string>().ToList()
                : [];
            var addresses = new List<string>();
            if (link.TryGetProperty("addr_info", out var addrInfo) && addrInfo.ValueKind == JsonValueKind.Array)
            {
                foreach (var address in addrInfo.EnumerateArray())
                {
                    if (Text(address, "local") is { } local && Number(address, "prefixlen") is { } prefix)
                    {
                        addresses.Add($"{local}/{prefix.ToString(CultureInfo.InvariantCulture)}");
                    }
                }
            }

            records.Add(new LinkRecord(
                name,
                kind,
                Text(link, "link_type") ?? "?",
                Text(link, "operstate") ?? "UNKNOWN",
                Number(link, "mtu") ?? 0,
                Positive(Number(link, "min_mtu")),
                Positive(Number(link, "max_mtu")),
                flags,
                vlan,
                addresses));
        }

        return records;
    }

    public static IReadOnlyList<LinkRecord> Parse(string json)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        return Parse(document.RootElement);
    }

    private static int? Positive(int? value) => value is > 0 ? value : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
