using CaptureActors.Probes.Dns;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Smtp;

/// <summary>
/// <c>diagnostic network smtpping</c>: resolves the mail host and walks an SMTP session phase by phase (see
/// <see cref="SmtpPing"/>), streaming each phase; the report's verdict names the first phase that failed.
/// </summary>
public static class SmtpPingProbe
{
    public static Task<IProbeResult> RunAsync(NodeResolver resolver, SmtpPing command, ProbeContext context)
    {
        var errors = SmtpPingArguments.Validate(command);
        return errors.Count > 0
            ? throw new ProbeException(ErrorCode.InvalidArgument, string.Join("; ", errors))
            : new SmtpSession(resolver, command, context).RunAsync();
    }
}
