using CaptureActors.TestSupport;

namespace CaptureActors.Probes.Tests;

[CollectionDefinition(PrivilegedCollection.Name, DisableParallelization = true)]
public sealed class PrivilegedTests;
