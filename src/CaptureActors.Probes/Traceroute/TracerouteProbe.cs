using System.Diagnostics;
using System.Net.Sockets;
using CaptureActors.Probes.Dns;
using CaptureActors.Probes.Ping;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Traceroute;

/// <summary>
/// <c>traceroute</c> / <c>traceroute6</c> with ICMP echo requests (as <c>traceroute -I</c> and Windows' tracert do)
/// on a raw socket: for TTL 1, 2, … the hop's probes go out together, then their answers (Time Exceeded from a
/// router, an echo reply from the target, Destination Unreachable) are collected until all came or
/// <see cref="Protocol.Traceroute.Wait"/> ran out. Stops after the hop where the target answered or a router said
/// it is unreachable, or at <see cref="Protocol.Traceroute.MaxHops"/>. So a trace takes at most MaxHops × Wait.
/// </summary>
public static class TracerouteProbe
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    /// <summary>The agent's ceiling: every hop's wait plus slack for resolving and sending.</summary>
    public static TimeSpan Ceiling(Protocol.Traceroute command) => (command.Wait * command.MaxHops) + Slack;

    public static void Validate(Protocol.Traceroute command)
    {
        var tool = ToolName(command);
        if (command.MaxHops is < 1 or > Protocol.Traceroute.MaxMaxHops)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"{tool}: max hops {command.MaxHops} is out of range: 1 to {Protocol.Traceroute.MaxMaxHops}");
        }

        if (command.ProbesPerHop is < 1 or > Protocol.Traceroute.MaxProbesPerHop)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"{tool}: probes per hop {command.ProbesPerHop} is out of range: 1 to {Protocol.Traceroute.MaxProbesPerHop}");
        }

        if (command.Wait < Protocol.Traceroute.MinWait || command.Wait > Protocol.Traceroute.MaxWait)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"{tool}: wait {DurationText.Format(command.Wait)} is out of range: 0.1s to 10s");
        }

        if (command.DnsServer is not null && !SmtpPingArguments.TryParseDnsServer(command.DnsServer, out _, out var dnsError))
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"{tool}: {dnsError}");
        }
    }

    public static string ToolName(Protocol.Traceroute command) => command.Family == IcmpFamily.V6 ? "traceroute6" : "traceroute";

    /// <param name="resolver">The node's resolver, for the hops' names (not asked with <see cref="Protocol.Traceroute.Numeric"/>).</param>
    public static async Task<IProbeResult> RunAsync(ProbeEnvironment environment, NodeResolver resolver, Protocol.Traceroute command, ProbeContext context)
    {
        Validate(command);
        var names = command.Numeric ? null : new HopNames(resolver, command.DnsServer);
        var cancellation = context.CancellationToken;
        var address = await HostResolver.ResolveAsync(environment, command.Host, command.Family, ToolName(command), cancellation).ConfigureAwait(false);
        using var socket = IcmpSocket.Open(address, ToolName(command));
        var headerBytes = address.AddressFamily == AddressFamily.InterNetworkV6 ? 40 : 20;
        context.Emit(new TracerouteStarted(command.ProbeId, command.Host, address.ToString(), command.MaxHops, headerBytes + IcmpPacket.HeaderBytes + Protocol.Traceroute.PayloadSize));

        var hops = new List<TracerouteHop>();
        var reached = false;
        var interrupted = false;
        ushort nextSequence = 1;
        for (var ttl = 1; ttl <= command.MaxHops; ttl++)
        {
            var (hop, stop, cancelled) = await ProbeHopAsync(socket, command, ttl, nextSequence, cancellation).ConfigureAwait(false);
            nextSequence += (ushort)command.ProbesPerHop;
            if (names is not null && !cancelled)
            {
                hop = await names.NameAsync(hop, cancellation).ConfigureAwait(false);
            }

            hops.Add(hop);
            context.Emit(new TracerouteHopDone(command.ProbeId, hop));
            if (cancelled)
            {
                interrupted = true;
                break;
            }

            if (stop is not null)
            {
                reached = stop.Value;
                break;
            }
        }

        return new TracerouteReport(command.ProbeId, command.Host, address.ToString(), hops, reached, interrupted);
    }

    /// <returns>The hop; whether to stop after it (true: the target answered, false: unreachable; null: go on); whether cancelled.</returns>
    private static async Task<(TracerouteHop Hop, bool? Stop, bool Cancelled)> ProbeHopAsync(
        IcmpSocket socket, Protocol.Traceroute command, int ttl, ushort firstSequence, CancellationToken cancellation)
    {
        var count = command.ProbesPerHop;
        var answers = new TracerouteAnswer?[count];
        bool? stop = null;
        var cancelled = false;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);

        // Listening before the probes go out keeps the receive path's set-up out of the first round trip.
        Task<ReceivedAnswer>? receive = socket.ReceiveAsync(wait.Token);
        socket.SetTimeToLive(ttl);
        for (var i = 0; i < count; i++)
        {
            if (await socket.SendEchoAsync((ushort)(firstSequence + i), Protocol.Traceroute.PayloadSize, CancellationToken.None).ConfigureAwait(false) is { } refusal)
            {
                answers[i] = new TracerouteAnswer("", null, $"!<{refusal}>");
            }
        }

        wait.CancelAfter(command.Wait);
        try
        {
            while (answers.Any(a => a is null))
            {
                var received = await (receive ?? socket.ReceiveAsync(wait.Token)).ConfigureAwait(false);
                receive = null;
                var index = (ushort)(received.Answer.Sequence - firstSequence);
                if (index >= count || answers[index] is not null)
                {
                    continue; // an earlier hop's late answer, or a duplicate
                }

                var milliseconds = IcmpSocket.Milliseconds(socket.SentAt(received.Answer.Sequence), received.ReceivedAt);
                answers[index] = new TracerouteAnswer(received.From.ToString(), milliseconds, received.Answer.Flag);
                stop = received.Answer.Kind switch
                {
                    IcmpAnswerKind.EchoReply => true,
                    IcmpAnswerKind.Unreachable when stop is null => false,
                    _ => stop,
                };
            }
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            cancelled = cancellation.IsCancellationRequested;
        }

        if (receive is not null)
        {
            await wait.CancelAsync().ConfigureAwait(false);
            await receive.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        var hop = new TracerouteHop(ttl, [.. answers.Select(a => a ?? new TracerouteAnswer("", null, ""))]);
        return (hop, stop, cancelled);
    }
}
