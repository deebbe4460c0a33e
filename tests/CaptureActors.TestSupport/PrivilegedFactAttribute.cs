namespace CaptureActors.TestSupport;

/// <summary>A fact that needs root: skipped when not root, unless CAPTURE_REQUIRE_PRIVILEGED=1. Put the class in <see cref="PrivilegedCollection.Name"/>.</summary>
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public PrivilegedFactAttribute()
    {
        if (Privilege.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs root; see <see cref="PrivilegedFactAttribute"/>.</summary>
public sealed class PrivilegedTheoryAttribute : TheoryAttribute
{
    public PrivilegedTheoryAttribute()
    {
        if (Privilege.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
