using CaptureActors.TestSupport;

namespace CaptureActors.Pcap.Tests;

[CollectionDefinition(PrivilegedCollection.Name, DisableParallelization = true)]
public sealed class PrivilegedTests;
