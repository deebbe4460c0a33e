namespace CaptureActors.Agent.Hosting;

/// <summary>Where an agent listens for controllers and consoles (Akka.Remote, <c>akka.tcp://capture-agent@HOST:PORT</c>).</summary>
public sealed class AgentRemoteOptions
{
    /// <summary>The actor system's name: part of every agent's address, so the same on every node.</summary>
    public const string SystemName = "capture-agent";

    /// <summary>The port agents listen on unless told otherwise (<c>--listen</c>).</summary>
    public const int DefaultPort = 4710;

    /// <summary>The address agents listen on unless told otherwise: loopback only, nothing reachable from outside.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>Address or host name to bind. <c>0.0.0.0</c> binds every IPv4 address (then set <see cref="PublicHostname"/>).</summary>
    public string Hostname { get; set; } = DefaultHost;

    /// <summary>TCP port to bind; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The host name or address other nodes use to reach this agent, when it differs from <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>The agent guardian's path on a node listening at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static string AgentPath(string host, int port) => $"akka.tcp://{SystemName}@{host}:{port}/user/agent";
}
