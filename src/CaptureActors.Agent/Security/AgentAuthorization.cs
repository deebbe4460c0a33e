using Akka.Configuration;
using CaptureActors.Agent.Hosting;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Agent.Security;

/// <summary>
/// How this agent decides who may do what (<c>capture-agent.authorization</c>, <c>capture-agent.local-access</c> and
/// <c>capture-agent.audit</c> in agent.hocon): with TLS files, consoles prove a certificate subject and get its role
/// (<see cref="Sessions"/>); a plain agent reached over Akka.Remote serves only consoles of its own host whose user the
/// kernel names on its local socket and <see cref="LocalAccessRule"/> admits (<see cref="Local"/>); an agent in the
/// console's own process (capturectl's embedded agent) checks nothing. The audit log is written in every case.
/// </summary>
public sealed class AgentAuthorization
{
    public const string ConfigPath = "capture-agent.authorization";
    public const string AuditPath = "capture-agent.audit.path";

    /// <summary>The group whose members may use a plain agent from its host (agent.hocon; <c>--local-group</c>).</summary>
    public const string LocalGroupPath = "capture-agent.local-access.group";

    /// <summary>As in agent.hocon: the console certificate of deploy/tls/make-dev-certs.sh.</summary>
    private static readonly string[] DefaultOperators = ["CN=console"];

    private AgentAuthorization(ConsoleSessions? sessions, AuditLog? audit, string summary, LocalAccess? local = null)
    {
        Sessions = sessions;
        Audit = audit;
        Summary = summary;
        Local = local;
    }

    /// <summary>Null: authorization off.</summary>
    public ConsoleSessions? Sessions { get; }

    /// <summary>Null: no audit log (tests that do not look at it).</summary>
    public AuditLog? Audit { get; }

    /// <summary>One line for the agent's startup log.</summary>
    public string Summary { get; }

    /// <summary>A plain agent's local socket and rule; null with TLS or when authorization is off.</summary>
    public LocalAccess? Local { get; }

    public static AgentAuthorization Off(AuditLog? audit = null) =>
        new(null, audit, "authorization off: the agent runs in its console's process and serves it as operator");

    /// <summary>Reads the settings; a bad subject, lifetime or unusable audit file is an exception whose message says which.</summary>
    /// <param name="localSocket">
    /// Without TLS: the Unix socket where consoles of this host prove their user (an agent reached over Akka.Remote); null:
    /// the agent is in its console's process and authorization is off.
    /// </param>
    public static AgentAuthorization From(Config config, AgentOptions options, TlsFiles? tls, Action<string> onAuditError, string? localSocket = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var configured = config.GetString(AuditPath, "");
        var path = string.IsNullOrWhiteSpace(configured) ? Path.Combine(options.DataDirectory, AuditLog.DefaultFileName) : Path.GetFullPath(configured);
        var section = config.GetConfig(ConfigPath) ?? Config.Empty;
        var lifetime = section.GetTimeSpan("session-lifetime", TimeSpan.FromHours(8));
        var maxSessions = section.GetInt("max-sessions", 1024);
        if (lifetime < TimeSpan.FromMinutes(1) || maxSessions < 1)
        {
            throw new FormatException($"{ConfigPath}: session-lifetime must be at least 1 minute and max-sessions at least 1 (got {lifetime}, {maxSessions})");
        }

        if (tls is null)
        {
            // Without TLS (capturectl's embedded agent run by any user, a plain agent) an unusable audit file is a warning.
            AuditLog? plainAudit = null;
            string auditText;
            try
            {
                plainAudit = AuditLog.Open(path, onAuditError);
                auditText = $"audit log {plainAudit.Path}";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                auditText = $"NO audit log ({e.Message})";
            }

            if (localSocket is null)
            {
                return Off(plainAudit);
            }

            var group = options.LocalGroup ?? config.GetString(LocalGroupPath, LocalAccessRule.DefaultGroup);
            var local = new LocalAccess(localSocket, LocalAccessRule.ForHost(string.IsNullOrWhiteSpace(group) ? LocalAccessRule.DefaultGroup : group));
            var localSessions = new ConsoleSessions(options.NodeName, null, RoleMap.Parse([], []), lifetime, maxSessions, local: local);
            return new AgentAuthorization(
                localSessions, plainAudit,
                $"authorization local: no TLS, so only consoles of this host: {local.Rule.Summary}, each proven by the kernel on {localSocket}; {auditText}",
                local);
        }

        // With TLS an agent does not run without its audit log.
        var audit = AuditLog.Open(path, onAuditError);

        var roles = RoleMap.Parse(section.GetStringList("operators", DefaultOperators), section.GetStringList("viewers", []));

        var credentials = tls.Load();
        var sessions = new ConsoleSessions(options.NodeName, credentials, roles, lifetime, maxSessions);
        var summary = roles.Count == 0
            ? $"authorization on (certificates of {tls.CaFile}), but no subject has a role: every console is refused; map subjects in {ConfigPath}; audit log {audit.Path}"
            : $"authorization on: consoles prove a certificate of {tls.CaFile}; {roles.Count} subject(s) mapped to roles; audit log {audit.Path}";
        return new AgentAuthorization(sessions, audit, summary);
    }
}
