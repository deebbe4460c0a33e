namespace CaptureActors.Protocol;

/// <summary>Marks every message of the CaptureActors protocol, so one serializer can bind them all.</summary>
public interface ICaptureProtocol;

/// <summary>A request handled by a node's capture supervisor.</summary>
public interface ICaptureCommand : ICaptureProtocol;

/// <summary>A request handled by a node's file store.</summary>
public interface IFileCommand : ICaptureProtocol;

/// <summary>A request answered by the agent guardian itself (identity, inventory).</summary>
public interface IAgentQuery : ICaptureProtocol;
