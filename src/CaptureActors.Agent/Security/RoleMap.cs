using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Security;

/// <summary>
/// Which certificate subjects have which role (<c>capture-agent.authorization.operators/viewers</c>). An entry that is
/// only a common name (<c>CN=viewer</c>) matches every subject with that CN; any other entry is a full distinguished
/// name and matches a subject with exactly the same attributes (in any order, so both .NET's
/// <c>CN=x, O=y</c> and openssl's <c>O=y, CN=x</c> work; values compare case-insensitively). A subject listed under both
/// roles is an operator. A subject listed under none has no role and is refused.
/// </summary>
public sealed class RoleMap
{
    private const string CommonName = "2.5.4.3";

    private readonly IReadOnlyList<(Entry Entry, AgentRole Role)> _entries;

    private RoleMap(IReadOnlyList<(Entry, AgentRole)> entries) => _entries = entries;

    public int Count => _entries.Count;

    /// <summary>Parses the lists; an entry that is not a distinguished name is a <see cref="FormatException"/> naming it.</summary>
    public static RoleMap Parse(IEnumerable<string> operators, IEnumerable<string> viewers) =>
        new([.. operators.Select(o => (Entry.Parse(o, "operators"), AgentRole.Operator)), .. viewers.Select(v => (Entry.Parse(v, "viewers"), AgentRole.Viewer))]);

    /// <summary>The strongest role mapped to <paramref name="subject"/>, or null.</summary>
    public AgentRole? RoleOf(X500DistinguishedName subject)
    {
        var attributes = Attributes(subject);
        AgentRole? best = null;
        foreach (var (entry, role) in _entries)
        {
            if (entry.Matches(attributes) && (best is null || role > best))
            {
                best = role;
            }
        }

        return best;
    }

    private static HashSet<(string Oid, string Value)> Attributes(X500DistinguishedName name) =>
        [.. name.EnumerateRelativeDistinguishedNames().Select(Attribute)];

    /// <summary>A single-valued RDN as (type OID, value in upper case); a multi-valued one (rare) by its encoding.</summary>
    private static (string Oid, string Value) Attribute(X500RelativeDistinguishedName rdn) =>
        rdn.HasMultipleElements
            ? ("+", Convert.ToHexString(rdn.RawData.Span))
            : (rdn.GetSingleElementType().Value ?? "", (rdn.GetSingleElementValue() ?? "").ToUpperInvariant());

    private sealed record Entry(HashSet<(string Oid, string Value)> Names, bool CommonNameOnly)
    {
        public static Entry Parse(string text, string list)
        {
            HashSet<(string, string)> attributes;
            try
            {
                attributes = Attributes(new X500DistinguishedName(text.Trim()));
            }
            catch (CryptographicException e)
            {
                throw new FormatException($"capture-agent.authorization.{list}: '{text}' is not a distinguished name like CN=viewer or \"CN=ops, O=Example\" ({e.Message})", e);
            }

            if (attributes.Count == 0)
            {
                throw new FormatException($"capture-agent.authorization.{list}: an entry is empty; give a subject like CN=viewer");
            }

            return new Entry(attributes, attributes.Count == 1 && attributes.Single().Item1 == CommonName);
        }

        public bool Matches(HashSet<(string Oid, string Value)> subject) =>
            CommonNameOnly ? subject.IsSupersetOf(Names) : subject.SetEquals(Names);
    }
}
