using System.CommandLine;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Commands.Probes;

/// <summary>
/// <c>diagnostic network smtpping HOST|DOMAIN[:PORT] [--from ADDR] [--to ADDR] [--starttls [--strict-tls]]
/// [--timeout 10s] [--dns-server IP[:PORT]]</c>: walks an SMTP session from the node, phase by phase; exit 1 when a
/// phase fails.
/// </summary>
public static class SmtpPingCommand
{
    private const string Usage =
        "usage: diagnostic network smtpping HOST|DOMAIN[:PORT] [--from ADDR] [--to ADDR] [--starttls [--strict-tls]] [--timeout 1s..120s] [--dns-server IP[:PORT]]";

    public static Command Create(CommandRuntime runtime)
    {
        var target = new Argument<string>("TARGET")
        {
            Description = "A mail domain (its MX hosts are looked up), a host name or an IP address, with an optional :PORT (default 25)",
        };
        var from = new Option<string?>("--from") { Description = "Test the envelope: MAIL FROM this address (no message is sent)", HelpName = "ADDR" };
        var to = new Option<string?>("--to") { Description = "Test the envelope: RCPT TO this address (MAIL FROM:<> when --from is not given)", HelpName = "ADDR" };
        var startTls = new Option<bool>("--starttls") { Description = "Upgrade with STARTTLS and report the TLS session and the server's certificate" };
        var strictTls = new Option<bool>("--strict-tls") { Description = "Fail when the server's certificate does not validate (otherwise it is reported only)" };
        var timeout = new Option<string?>("--timeout") { Description = "The longest one phase may take, 1s..120s (default 10s)", HelpName = "DURATION" };
        var dnsServer = new Option<string?>("--dns-server") { Description = "Ask this DNS server instead of the node's resolvers", HelpName = "IP[:PORT]" };

        var command = new Command("smtpping", "Check that the node can reach a mail server: DNS (MX), connect, banner, EHLO, STARTTLS, envelope, with the time of each phase");
        command.Arguments.Add(target);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(startTls);
        command.Options.Add(strictTls);
        command.Options.Add(timeout);
        command.Options.Add(dnsServer);
        command.SetAction((parseResult, cancellationToken) => ProbeCommandRunner.RunAsync(
            runtime,
            parseResult,
            result => Prepare(
                result.GetValue(target),
                result.GetValue(from),
                result.GetValue(to),
                result.GetValue(startTls),
                result.GetValue(strictTls),
                result.GetValue(timeout),
                result.GetValue(dnsServer)),
            new Output(),
            cancellationToken));
        return command;
    }

    /// <summary>Checks the arguments (throwing <see cref="UsageException"/> with the allowed form) and makes the request.</summary>
    public static Func<string, IProbeCommand> Prepare(
        string? target, string? from, string? to, bool startTls, bool strictTls, string? timeoutText, string? dnsServer)
    {
        if (!SmtpPingArguments.TryParseTarget(target, out var host, out var port, out var targetError))
        {
            throw new UsageException($"{targetError}\n{Usage}");
        }

        var timeout = SmtpPingArguments.DefaultTimeout;
        if (timeoutText is not null && !DurationText.TryParse(timeoutText, out timeout, out var durationError))
        {
            throw new UsageException($"--timeout: {durationError}\n{Usage}");
        }

        var request = new SmtpPing("", host, port ?? SmtpPingArguments.DefaultPort, from, to, startTls, strictTls, timeout, dnsServer);
        var errors = SmtpPingArguments.Validate(request);
        return errors.Count > 0
            ? throw new UsageException($"{string.Join("\n", errors)}\n{Usage}")
            : id => request with { ProbeId = id };
    }

    private sealed class Output : ProbeOutput<SmtpPingReport>
    {
        public override void OnEvent(AppIo io, string? node, IProbeEvent probeEvent)
        {
            if (probeEvent is SmtpPhaseCompleted completed)
            {
                io.Out.WriteLine((node is null ? "" : $"{node}: ") + SmtpPingRenderer.PhaseLine(completed.Result));
            }
        }

        public override void Render(AppIo io, SmtpPingReport result) =>
            SmtpPingRenderer.Render(io.CreateConsole(), result);

        public override bool Succeeded(SmtpPingReport result) => result.Succeeded;
    }
}
