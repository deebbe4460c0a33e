using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

[CollectionDefinition(PrivilegedCollection.Name, DisableParallelization = true)]
public sealed class PrivilegedTests;
