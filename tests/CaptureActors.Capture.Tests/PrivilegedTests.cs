using CaptureActors.TestSupport;

namespace CaptureActors.Capture.Tests;

[CollectionDefinition(PrivilegedCollection.Name, DisableParallelization = true)]
public sealed class PrivilegedTests;
