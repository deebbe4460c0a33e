namespace CaptureActors.Protocol;

/// <summary>Why a command was refused or failed. The console maps these to exit codes and messages.</summary>
public enum ErrorCode
{
    /// <summary>Another capture runs on this node (in this process or another sharing the data directory).</summary>
    AlreadyRunning,
    UnknownInterface,
    InvalidFilter,
    InvalidSettings,
    /// <summary>The process lacks a capability (CAP_NET_RAW) needed to open a device.</summary>
    PermissionDenied,
    DeviceError,
    UnknownFile,
    UnsafeFileName,
    FileInUse,
    IoError,
    Timeout,
    Internal,
    /// <summary>The node does not offer this right now (its download channel is off or too many downloads wait).</summary>
    Unavailable,
}

/// <summary>Generic failure reply: what failed and why, in words a user can act on.</summary>
public sealed record CommandFailed(ErrorCode Code, string Message) : ICaptureProtocol;
