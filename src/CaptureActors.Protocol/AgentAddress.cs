namespace CaptureActors.Protocol;

/// <summary>
/// Where a node's agent lives, for both sides: the agent host names its actor system and guardian with these, and
/// consoles and controllers build the remote path from them. The one place that turns HOST:PORT into the agent's path.
/// </summary>
public static class AgentAddress
{
    /// <summary>The agent's actor system: part of every agent's address, so the same on every node.</summary>
    public const string SystemName = "capture-agent";

    /// <summary>The guardian's name under <c>/user</c>; every protocol request goes to it.</summary>
    public const string GuardianName = "agent";

    /// <summary><c>akka.tcp://capture-agent@HOST:PORT/user/agent</c>, with an IPv6 host in brackets.</summary>
    public static string Path(string host, int port) => Path(host, port, tls: false);

    /// <summary>As <see cref="Path(string, int)"/>; with <paramref name="tls"/> <c>akka.ssl.tcp://</c> (remote-tls.hocon).</summary>
    public static string Path(string host, int port, bool tls) =>
        $"{(tls ? "akka.ssl.tcp" : "akka.tcp")}://{SystemName}@{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}/user/{GuardianName}";
}
