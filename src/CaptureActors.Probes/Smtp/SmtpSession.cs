using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CaptureActors.Probes.Dns;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Smtp;

/// <summary>
/// One SMTP ping: each phase runs under its own timeout, is recorded and emitted as it ends; the first failure ends
/// the walk (after a polite QUIT when the server is still talking) and becomes the verdict.
/// </summary>
/// <remarks>
/// The client side is written here rather than taken from a mail library (MailKit's <c>SmtpClient</c>): a library
/// client joins connect, greeting, EHLO and STARTTLS into one call and sends an envelope only with a message, while
/// this probe must time and name each step and stop before DATA. TLS is <see cref="SslStream"/>.
/// </remarks>
internal sealed class SmtpSession(NodeResolver resolver, SmtpPing command, ProbeContext context)
{
    private readonly List<SmtpPhaseResult> _phases = [];
    private MailHost? _mail;
    private string? _address;
    private IPEndPoint? _local;
    private string? _banner;
    private SmtpCapabilities? _capabilities;
    private SmtpCapabilities? _tlsCapabilities;
    private SmtpTlsSession? _tls;

    private string Target => command.Target.Trim('[', ']');

    public async Task<IProbeResult> RunAsync()
    {
        SmtpPhaseFailure? failure = null;
        SmtpChannel? channel = null;
        var started = Stopwatch.StartNew();
        try
        {
            _mail = await ResolveAsync().ConfigureAwait(false);
            channel = await ConnectAsync(_mail).ConfigureAwait(false);
            await ConverseAsync(channel).ConfigureAwait(false);
        }
        catch (SmtpPhaseFailure e)
        {
            failure = e;
            if (e.SessionUsable && channel is not null)
            {
                await QuitQuietlyAsync(channel).ConfigureAwait(false);
            }
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new SmtpPingReport(
            command.ProbeId,
            command.Target,
            command.Port,
            _mail?.Source ?? SmtpHostSource.ImplicitMx,
            _mail?.MxHosts ?? [],
            _mail?.Host,
            _mail?.Preference,
            _address,
            _banner,
            _capabilities,
            _tlsCapabilities,
            _tls,
            _phases,
            failure is null,
            failure is null ? null : _phases.LastOrDefault(p => !p.Ok)?.Phase,
            failure?.Verdict ?? OkVerdict(started.Elapsed));
    }

    private async Task<MailHost> ResolveAsync()
    {
        if (IPAddress.TryParse(Target, out _))
        {
            return await MailHostLookup.ResolveAsync(resolver, null, Target, context.CancellationToken).ConfigureAwait(false);
        }

        IPEndPoint? server = null;
        if (command.DnsServer is not null)
        {
            SmtpPingArguments.TryParseDnsServer(command.DnsServer, out var parsed, out _);
            server = parsed;
        }

        return await PhaseAsync(SmtpPhase.Dns, async token =>
        {
            var mail = await MailHostLookup.ResolveAsync(resolver, server, Target, token).ConfigureAwait(false);
            var addresses = string.Join(", ", mail.Addresses);
            var detail = mail.Source == SmtpHostSource.Mx
                ? $"MX {mail.Host} (preference {mail.Preference}) -> {addresses}"
                : $"no MX: {mail.Host} -> {addresses}";
            return (mail, (int?)null, detail);
        }).ConfigureAwait(false);
    }

    private Task<SmtpChannel> ConnectAsync(MailHost mail) =>
        PhaseAsync(SmtpPhase.Connect, async token =>
        {
            var errors = new List<string>();
            foreach (var address in mail.Addresses)
            {
                var endpoint = new IPEndPoint(address, command.Port);
                _address = address.ToString();
                var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(endpoint, token).ConfigureAwait(false);
                    var channel = new SmtpChannel(new NetworkStream(socket, ownsSocket: true));
                    _local = (IPEndPoint)socket.LocalEndPoint!;
                    return (channel, (int?)null, $"{EndPoint(endpoint)} from {EndPoint(_local)}");
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    errors.Add(e.SocketErrorCode == SocketError.ConnectionRefused
                        ? $"{EndPoint(endpoint)} refused the connection"
                        : $"{EndPoint(endpoint)}: {e.Message}");
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            var all = string.Join("; ", errors);
            throw new SmtpPhaseFailure(null, all, $"connect: {all}");
        });

    private async Task ConverseAsync(SmtpChannel channel)
    {
        await PhaseAsync(SmtpPhase.Banner, async token =>
        {
            var reply = await channel.ReadReplyAsync(token).ConfigureAwait(false);
            _banner = string.Join(" / ", reply.Lines);
            return Expect(reply, "banner", 220);
        }).ConfigureAwait(false);

        var helo = HeloName();
        _capabilities = await EhloAsync(channel, SmtpPhase.Ehlo, helo).ConfigureAwait(false);

        if (command.StartTls)
        {
            await StartTlsAsync(channel, _capabilities).ConfigureAwait(false);
            _tlsCapabilities = await EhloAsync(channel, SmtpPhase.EhloTls, helo).ConfigureAwait(false);
        }

        var envelope = command.MailFrom is not null || command.RcptTo is not null;
        if (envelope)
        {
            await PhaseAsync(SmtpPhase.MailFrom, async token =>
            {
                await channel.SendAsync($"MAIL FROM:<{command.MailFrom}>", token).ConfigureAwait(false);
                return Expect(await channel.ReadReplyAsync(token).ConfigureAwait(false), "mail-from", 250);
            }).ConfigureAwait(false);
        }

        if (command.RcptTo is not null)
        {
            await PhaseAsync(SmtpPhase.RcptTo, async token =>
            {
                await channel.SendAsync($"RCPT TO:<{command.RcptTo}>", token).ConfigureAwait(false);
                return Expect(await channel.ReadReplyAsync(token).ConfigureAwait(false), "rcpt-to", 250, 251);
            }).ConfigureAwait(false);
        }

        await PhaseAsync(SmtpPhase.Quit, async token =>
        {
            if (envelope)
            {
                // RSET: the envelope is abandoned before DATA, so nothing is ever queued.
                await channel.SendAsync("RSET", token).ConfigureAwait(false);
                await channel.ReadReplyAsync(token).ConfigureAwait(false);
            }

            await channel.SendAsync("QUIT", token).ConfigureAwait(false);
            try
            {
                return Expect(await channel.ReadReplyAsync(token).ConfigureAwait(false), "quit", 221);
            }
            catch (EndOfStreamException)
            {
                return ((object?)null, (int?)null, "the server closed the connection without its 221");
            }
        }).ConfigureAwait(false);
    }

    private Task<SmtpCapabilities> EhloAsync(SmtpChannel channel, SmtpPhase phase, string helo) =>
        PhaseAsync(phase, async token =>
        {
            await channel.SendAsync($"EHLO {helo}", token).ConfigureAwait(false);
            var reply = await channel.ReadReplyAsync(token).ConfigureAwait(false);
            Expect(reply, PhaseName(phase), 250);
            var capabilities = EhloParser.Parse(reply);
            var extensions = capabilities.Extensions.Count == 0 ? "no extensions" : string.Join(", ", capabilities.Extensions);
            return (capabilities, (int?)reply.Code, $"{reply.Code} {capabilities.Greeting}; {extensions}");
        });

    private Task StartTlsAsync(SmtpChannel channel, SmtpCapabilities capabilities) =>
        PhaseAsync(SmtpPhase.Starttls, async token =>
        {
            if (!capabilities.StartTls)
            {
                throw new SmtpPhaseFailure(null, "not offered in the EHLO reply", "starttls: the server does not offer STARTTLS (not in its EHLO reply)")
                {
                    SessionUsable = true,
                };
            }

            await channel.SendAsync("STARTTLS", token).ConfigureAwait(false);
            var reply = await channel.ReadReplyAsync(token).ConfigureAwait(false);
            Expect(reply, "starttls", 220);

            X509Certificate2? certificate = null;
            var errors = new List<string>();
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = _mail!.Host,
                RemoteCertificateValidationCallback = (_, cert, chain, policyErrors) =>
                {
                    certificate = cert is null ? null : new X509Certificate2(cert);
                    errors.AddRange(ValidationErrors(policyErrors, chain));
                    return errors.Count == 0 || !command.StrictTls;
                },
            };

            SslStream tls;
            try
            {
                tls = await channel.StartTlsAsync(options, token).ConfigureAwait(false);
            }
            catch (AuthenticationException e) when (errors.Count > 0)
            {
                var why = string.Join("; ", errors);
                throw new SmtpPhaseFailure(null, $"certificate not trusted: {why}", $"starttls: certificate of {_mail.Host} not trusted (--strict-tls): {why}", e);
            }
            catch (AuthenticationException e)
            {
                throw new SmtpPhaseFailure(null, $"TLS handshake failed: {e.Message}", $"starttls: TLS handshake failed: {e.InnerException?.Message ?? e.Message}", e);
            }

            if (certificate is null)
            {
                throw new SmtpPhaseFailure(null, "the server sent no certificate", "starttls: the server sent no certificate");
            }

            _tls = new SmtpTlsSession(
                ProtocolName(tls.SslProtocol),
                tls.NegotiatedCipherSuite.ToString(),
                certificate.Subject,
                certificate.Issuer,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                certificate.Thumbprint,
                errors.Count == 0,
                errors);
            certificate.Dispose();
            var trust = errors.Count == 0 ? "trusted" : $"NOT trusted ({string.Join("; ", errors)})";
            return ((object?)null, (int?)reply.Code,
                $"{_tls.Protocol} {_tls.CipherSuite}; certificate {_tls.Subject}, issuer {_tls.Issuer}, expires {_tls.NotAfter:yyyy-MM-dd}; {trust}");
        });

    /// <summary>Runs one phase under the per-phase timeout, records it, emits it; failures become <see cref="SmtpPhaseFailure"/>.</summary>
    private async Task<T> PhaseAsync<T>(SmtpPhase phase, Func<CancellationToken, Task<(T Value, int? Code, string Detail)>> body)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(command.Timeout);
        var name = PhaseName(phase);
        try
        {
            var (value, code, detail) = await body(timeout.Token).ConfigureAwait(false);
            Record(new SmtpPhaseResult(phase, true, watch.Elapsed, code, detail));
            return value;
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            var within = $"no answer within {Seconds(command.Timeout)}";
            throw Failed(phase, watch, new SmtpPhaseFailure(null, within, $"{name}: {within}"));
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C, the requester gone, or the probe's ceiling: the report still tells what was seen (design: a
            // probe that can summarise answers with its result).
            throw Failed(phase, watch, new SmtpPhaseFailure(null, "stopped before it ended", $"{name}: stopped before it ended (cancelled)"));
        }
        catch (SmtpPhaseFailure e)
        {
            throw Failed(phase, watch, e);
        }
        catch (ProbeException e)
        {
            Record(new SmtpPhaseResult(phase, false, watch.Elapsed, null, e.Message));
            throw;
        }
        catch (EndOfStreamException)
        {
            throw Failed(phase, watch, new SmtpPhaseFailure(null, "the server closed the connection", $"{name}: the server closed the connection"));
        }
        catch (InvalidDataException e)
        {
            throw Failed(phase, watch, new SmtpPhaseFailure(null, $"protocol error: {e.Message}", $"{name}: protocol error: {e.Message}"));
        }
        catch (IOException e)
        {
            var why = e.InnerException?.Message ?? e.Message;
            throw Failed(phase, watch, new SmtpPhaseFailure(null, why, $"{name}: {why}", e));
        }
        catch (SocketException e)
        {
            throw Failed(phase, watch, new SmtpPhaseFailure(null, e.Message, $"{name}: {e.Message}", e));
        }
    }

    private SmtpPhaseFailure Failed(SmtpPhase phase, Stopwatch watch, SmtpPhaseFailure failure)
    {
        Record(new SmtpPhaseResult(phase, false, watch.Elapsed, failure.ReplyCode, failure.Detail));
        return failure;
    }

    private void Record(SmtpPhaseResult result)
    {
        _phases.Add(result);
        context.Emit(new SmtpPhaseCompleted(command.ProbeId, result));
    }

    /// <summary>The session is over but the server still talks: say goodbye without recording or failing anything.</summary>
    private async Task QuitQuietlyAsync(SmtpChannel channel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Min(2, command.Timeout.TotalSeconds)));
        try
        {
            await channel.SendAsync("QUIT", timeout.Token).ConfigureAwait(false);
            await channel.ReadReplyAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidDataException or ObjectDisposedException)
        {
            // Best effort only: the verdict is already decided.
        }
    }

    /// <summary>A reply that is one of <paramref name="expected"/>, or the phase fails naming the server's reply.</summary>
    private static (object? Value, int? Code, string Detail) Expect(SmtpReply reply, string phase, params int[] expected) =>
        expected.Contains(reply.Code)
            ? (null, reply.Code, reply.ToString())
            : throw new SmtpPhaseFailure(reply.Code, reply.ToString(), $"{phase} refused: {reply}") { SessionUsable = true };

    private string OkVerdict(TimeSpan elapsed)
    {
        var what = command.RcptTo is not null ? $"accepts mail for <{command.RcptTo}>"
            : command.MailFrom is not null ? $"accepts mail from <{command.MailFrom}>"
            : "answers SMTP";
        var tls = _tls is null ? "" : $" over {_tls.Protocol}";
        var host = _mail is null || _mail.Host == _address ? "" : $"{_mail.Host} ";
        return $"OK: {host}{EndPoint(new IPEndPoint(IPAddress.Parse(_address!), command.Port))} {what}{tls} ({Milliseconds(elapsed)})";
    }

    /// <summary>EHLO's argument (RFC 5321 §4.1.4): the node's name when it is a full domain name, else its address literal.</summary>
    private string HeloName()
    {
        var name = System.Net.Dns.GetHostName();
        if (name.Contains('.', StringComparison.Ordinal) && !name.EndsWith('.'))
        {
            return name;
        }

        var local = _local?.Address ?? IPAddress.Loopback;
        if (local.IsIPv4MappedToIPv6)
        {
            local = local.MapToIPv4();
        }

        return local.AddressFamily == AddressFamily.InterNetworkV6 ? $"[IPv6:{local}]" : $"[{local}]";
    }

    private static IEnumerable<string> ValidationErrors(SslPolicyErrors errors, X509Chain? chain)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            yield return "no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            yield return "name does not match the host";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct(StringComparer.Ordinal).ToList() ?? [];
            yield return statuses.Count == 0 ? "chain not valid" : $"chain: {string.Join(", ", statuses)}";
        }
    }

    private static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };

    public static string PhaseName(SmtpPhase phase) => phase switch
    {
        SmtpPhase.Dns => "dns",
        SmtpPhase.Connect => "connect",
        SmtpPhase.Banner => "banner",
        SmtpPhase.Ehlo => "ehlo",
        SmtpPhase.Starttls => "starttls",
        SmtpPhase.EhloTls => "ehlo-tls",
        SmtpPhase.MailFrom => "mail-from",
        SmtpPhase.RcptTo => "rcpt-to",
        SmtpPhase.Quit => "quit",
        _ => phase.ToString().ToLowerInvariant(),
    };

    private static string EndPoint(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";

    private static string Seconds(TimeSpan duration) =>
        $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private static string Milliseconds(TimeSpan duration) =>
        $"{duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
}
