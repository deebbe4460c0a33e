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
    /// <summary>
    /// Not one of the store's file names (a path, '..'), or an entry of that name that is not a regular file with one
    /// link (a symbolic link, a FIFO, a directory, a hard link): the store reads regular files only.
    /// </summary>
    UnsafeFileName,
    FileInUse,
    IoError,
    Timeout,
    Internal,
    /// <summary>A probe argument is out of range or malformed (count, size, interval, port, address).</summary>
    InvalidArgument,
    /// <summary>A host name did not resolve, or resolved to no address of the asked family.</summary>
    UnknownHost,
    /// <summary>A probe was stopped before its end (Ctrl-C, the requester went away).</summary>
    Cancelled,
    /// <summary>A change was refused because it would harm the node (e.g. the agent's own link), or lacks <c>--yes</c>.</summary>
    Refused,
    /// <summary>The node stopped answering (its agent died or the network to it broke) before the request ended.</summary>
    NodeLost,
    /// <summary>The node does not offer this right now (its download channel is off or too many downloads wait).</summary>
    Unavailable,
    /// <summary>The capture directory's file system is below the free-disk floor, or its capture files are at the quota.</summary>
    DiskFull,
    /// <summary>The file is marked keep: take the mark off first (<c>packetcapture keep --unkeep</c>).</summary>
    FileKept,
    /// <summary>The console's identity lacks the role the request needs, or it proved no identity to an agent that checks certificates.</summary>
    Forbidden,
}

/// <summary>Generic failure reply: what failed and why, in words a user can act on.</summary>
public sealed record CommandFailed(ErrorCode Code, string Message) : ICaptureProtocol;
