using System.Globalization;
using CaptureActors.Protocol;
using Spectre.Console;

namespace CaptureActors.Console.Rendering;

/// <summary><c>smtpping</c>: one line per phase as it ends, then what was found (mail host, capabilities, TLS) and the verdict.</summary>
public static class SmtpPingRenderer
{
    /// <summary><c>rcpt-to    1.2 ms  FAIL  550 5.1.1 &lt;x@y&gt;: Recipient address rejected</c>.</summary>
    public static string PhaseLine(SmtpPhaseResult phase) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{PhaseName(phase.Phase),-10} {Milliseconds(phase.Elapsed),10}  {(phase.Ok ? "ok  " : "FAIL")}  {phase.Detail}");

    public static void Render(IAnsiConsole console, SmtpPingReport report)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("target", Markup.Escape($"{report.Target} port {report.Port.ToString(CultureInfo.InvariantCulture)}"));
        if (report.MxHosts.Count > 0)
        {
            grid.AddRow("mx", Markup.Escape(string.Join(", ", report.MxHosts.Select(m => $"{m.Host} ({m.Preference.ToString(CultureInfo.InvariantCulture)})"))));
        }

        if (report.Host is not null)
        {
            var how = report.HostSource switch
            {
                SmtpHostSource.Mx => $"MX preference {report.MxPreference?.ToString(CultureInfo.InvariantCulture)}",
                SmtpHostSource.ImplicitMx => "implicit MX: the domain has no MX record",
                _ => "IP address given",
            };
            var host = report.Host == report.Address ? report.Host : $"{report.Host} [{report.Address}]";
            grid.AddRow("mail host", Markup.Escape($"{host} ({how})"));
        }

        if (report.Banner is not null)
        {
            grid.AddRow("banner", Markup.Escape(report.Banner));
        }

        if (report.Capabilities is { } plain)
        {
            grid.AddRow("ehlo", Markup.Escape(Capabilities(plain)));
        }

        if (report.Tls is { } tls)
        {
            grid.AddRow("tls", Markup.Escape($"{tls.Protocol} {tls.CipherSuite}"));
            grid.AddRow("certificate", Markup.Escape($"subject {tls.Subject}; issuer {tls.Issuer}; valid {tls.NotBefore:yyyy-MM-dd} to {tls.NotAfter:yyyy-MM-dd HH:mm}Z"));
            grid.AddRow("trust", tls.Trusted ? "[green]trusted[/]" : $"[yellow]not trusted: {Markup.Escape(string.Join("; ", tls.ValidationErrors))}[/]");
        }

        if (report.TlsCapabilities is { } secured)
        {
            grid.AddRow("ehlo (tls)", Markup.Escape(Capabilities(secured)));
        }

        var total = TimeSpan.FromTicks(report.Phases.Sum(p => p.Elapsed.Ticks));
        grid.AddRow("total", Milliseconds(total));
        grid.AddRow("verdict", report.Succeeded ? $"[green]{Markup.Escape(report.Verdict)}[/]" : $"[red]FAILED {Markup.Escape(report.Verdict)}[/]");
        console.Write(grid);
    }

    /// <summary><c>STARTTLS, SIZE 10240000, 8BITMIME, PIPELINING, AUTH PLAIN LOGIN</c>: what the server offered, as sent.</summary>
    public static string Capabilities(SmtpCapabilities capabilities) =>
        capabilities.Extensions.Count == 0 ? "(no extensions)" : string.Join(", ", capabilities.Extensions);

    public static string PhaseName(SmtpPhase phase) => phase switch
    {
        SmtpPhase.EhloTls => "ehlo-tls",
        SmtpPhase.MailFrom => "mail-from",
        SmtpPhase.RcptTo => "rcpt-to",
        _ => phase.ToString().ToLowerInvariant(),
    };

    private static string Milliseconds(TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0.0} ms");
}
