using CaptureActors.TestSupport;

namespace CaptureActors.Agent.Tests;

[CollectionDefinition(PrivilegedCollection.Name, DisableParallelization = true)]
public sealed class PrivilegedTests;
