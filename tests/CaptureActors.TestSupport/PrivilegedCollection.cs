namespace CaptureActors.TestSupport;

/// <summary>
/// Name of the xunit collection for privileged tests. xunit reads collection definitions only from the test
/// assembly, so each test project declares, once:
/// <code>[CollectionDefinition(PrivilegedCollection.Name, DisableParallelization = true)] public sealed class PrivilegedTests;</code>
/// and marks its privileged classes with <c>[Collection(PrivilegedCollection.Name)]</c>.
/// </summary>
public static class PrivilegedCollection
{
    public const string Name = "privileged";
}
