namespace CaptureActors.Agent.Storage;

/// <summary>The agent must not use its data directory: world-writable, not writable by it, or not creatable.</summary>
public sealed class UnsafeDataDirectoryException(string message) : Exception(message);
