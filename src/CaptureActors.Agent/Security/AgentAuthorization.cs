using Akka.Configuration;
using CaptureActors.Agent.Hosting;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Agent.Security;

/// <summary>
/// How this agent decides who may do what (<c>capture-agent.authorization</c> and <c>capture-agent.audit</c> in
/// agent.hocon): with TLS files, consoles prove a certificate subject and get its role (<see cref="Sessions"/>);
/// without (plain lab, capturectl's embedded agent) authorization is off and every console is an unauthenticated
/// operator. The audit log is written either way.
/// </summary>
public sealed class AgentAuthorization
{
    public const string ConfigPath = "capture-agent.authorization";
    public const string AuditPath = "capture-agent.audit.path";

    /// <summary>As in agent.hocon: the console certificate of deploy/tls/make-dev-certs.sh.</summary>
    private static readonly string[] DefaultOperators = ["CN=console"];

    private AgentAuthorization(ConsoleSessions? sessions, AuditLog? audit, string summary)
    {
        Sessions = sessions;
        Audit = audit;
        Summary = summary;
    }

    /// <summary>Null: authorization off.</summary>
    public ConsoleSessions? Sessions { get; }

    /// <summary>Null: no audit log (tests that do not look at it).</summary>
    public AuditLog? Audit { get; }

    /// <summary>One line for the agent's startup log.</summary>
    public string Summary { get; }

    public static AgentAuthorization Off(AuditLog? audit = null) =>
        new(null, audit, "authorization off: no TLS, every console is an unauthenticated operator");

    /// <summary>Reads the settings; a bad subject, lifetime or unusable audit file is an exception whose message says which.</summary>
    public static AgentAuthorization From(Config config, AgentOptions options, TlsFiles? tls, Action<string> onAuditError)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var configured = config.GetString(AuditPath, "");
        var path = string.IsNullOrWhiteSpace(configured) ? Path.Combine(options.DataDirectory, AuditLog.DefaultFileName) : Path.GetFullPath(configured);
        if (tls is null)
        {
            // Without TLS (a plain lab, capturectl's embedded agent run by any user) an unusable audit file is a warning.
            try
            {
                var plainAudit = AuditLog.Open(path, onAuditError);
                return new AgentAuthorization(null, plainAudit, $"authorization off: no TLS, every console is an unauthenticated operator; audit log {plainAudit.Path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new AgentAuthorization(null, null, $"authorization off: no TLS, every console is an unauthenticated operator; NO audit log ({e.Message})");
            }
        }

        // With TLS an agent does not run without its audit log.
        var audit = AuditLog.Open(path, onAuditError);

        var section = config.GetConfig(ConfigPath) ?? Config.Empty;
        var roles = RoleMap.Parse(section.GetStringList("operators", DefaultOperators), section.GetStringList("viewers", []));
        var lifetime = section.GetTimeSpan("session-lifetime", TimeSpan.FromHours(8));
        var maxSessions = section.GetInt("max-sessions", 1024);
        if (lifetime < TimeSpan.FromMinutes(1) || maxSessions < 1)
        {
            throw new FormatException($"{ConfigPath}: session-lifetime must be at least 1 minute and max-sessions at least 1 (got {lifetime}, {maxSessions})");
        }

        var credentials = tls.Load();
        var sessions = new ConsoleSessions(options.NodeName, credentials, roles, lifetime, maxSessions);
        var summary = roles.Count == 0
            ? $"authorization on (certificates of {tls.CaFile}), but no subject has a role: every console is refused; map subjects in {ConfigPath}; audit log {audit.Path}"
            : $"authorization on: consoles prove a certificate of {tls.CaFile}; {roles.Count} subject(s) mapped to roles; audit log {audit.Path}";
        return new AgentAuthorization(sessions, audit, summary);
    }
}
