using System.Diagnostics;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Ping;

/// <summary>
/// <c>ping</c> over a raw ICMP/ICMPv6 socket. One loop sends each request on its schedule (every
/// <see cref="PingHost.Interval"/>, whether or not earlier ones were answered), reports each reply, ICMP error or
/// timeout as it happens, and waits on the socket only until the next thing due (a send or a request's timeout).
/// Cancellation (Ctrl-C, the requester gone, the ceiling) ends the run with its summary, not with an exception.
/// </summary>
public static class PingProbe
{
    /// <summary>How much longer than its own plan a counted ping may run before the agent stops it.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    /// <summary>The longest any ping runs, whatever its count and interval.</summary>
    private static readonly TimeSpan MaxRun = TimeSpan.FromHours(24);

    /// <summary>The agent's ceiling for <paramref name="command"/>: its planned time plus slack, at most a day.</summary>
    public static TimeSpan Ceiling(PingHost command) => command.Count is { } count
        ? Min((command.Interval * (count - 1)) + command.ReplyTimeout + Slack, MaxRun)
        : PingHost.UnboundedCeiling + Slack;

    /// <summary>Argument checks done by the agent too (a remote console may be older or foreign).</summary>
    public static void Validate(PingHost command)
    {
        if (command.Count is { } count && count is < 1 or > PingHost.MaxCount)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"ping: count {count} is out of range: 1 to {PingHost.MaxCount}");
        }

        if (command.Interval < PingHost.MinInterval || command.Interval > PingHost.MaxInterval)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"ping: interval {DurationText.Format(command.Interval)} is out of range: 0.2s to 60s");
        }

        if (command.PayloadSize is < 0 or > PingHost.MaxPayloadV4)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"ping: packet size {command.PayloadSize} is out of range: 0 to {PingHost.MaxPayloadV4} (IPv6: {PingHost.MaxPayloadV6})");
        }

        if (command.ReplyTimeout < PingHost.MinReplyTimeout || command.ReplyTimeout > PingHost.MaxReplyTimeout)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"ping: timeout {DurationText.Format(command.ReplyTimeout)} is out of range: 0.1s to 60s");
        }
    }

    public static async Task<IProbeResult> RunAsync(ProbeEnvironment environment, PingHost command, ProbeContext context)
    {
        Validate(command);
        var cancellation = context.CancellationToken;
        var address = await HostResolver.ResolveAsync(environment, command.Host, command.Family, "ping", cancellation).ConfigureAwait(false);
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && command.PayloadSize > PingHost.MaxPayloadV6)
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"ping: packet size {command.PayloadSize} is too large for IPv6: at most {PingHost.MaxPayloadV6}");
        }

        using var socket = IcmpSocket.Open(address, "ping");
        var run = new PingRun(command, socket, address.ToString(), context);
        return await run.RunAsync().ConfigureAwait(false);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>One ping's state: what is outstanding, what came back.</summary>
    private sealed class PingRun(PingHost command, IcmpSocket socket, string address, ProbeContext context)
    {
        private readonly SortedDictionary<int, Outstanding> _outstanding = [];
        private readonly RoundTripStatistics _roundTrips = new();
        private int _transmitted;
        private int _errors;

        public async Task<IProbeResult> RunAsync()
        {
            var cancellation = context.CancellationToken;
            context.Emit(new PingStarted(command.ProbeId, command.Host, address, command.PayloadSize));
            var start = Stopwatch.GetTimestamp();
            var interval = Ticks(command.Interval);
            var timeout = Ticks(command.ReplyTimeout);
            var stopSendingAt = command.Count is null ? start + Ticks(PingHost.UnboundedCeiling) : long.MaxValue;
            var nextSend = start;
            var interrupted = false;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            // Listening before the first request goes out keeps the receive path's first-call cost out of its round trip.
            Task<ReceivedAnswer>? receive = socket.ReceiveAsync(stop.Token);
            try
            {
                while (true)
                {
                    if (cancellation.IsCancellationRequested)
                    {
                        interrupted = true;
                        break;
                    }

                    var now = Stopwatch.GetTimestamp();
                    var moreToSend = (command.Count is not { } count || _transmitted < count) && nextSend < stopSendingAt;
                    if (moreToSend && now >= nextSend)
                    {
                        await SendAsync(now, cancellation).ConfigureAwait(false);
                        nextSend += interval;
                        continue;
                    }

                    ExpireOutstanding(now, timeout);
                    if (!moreToSend && _outstanding.Count == 0)
                    {
                        break;
                    }

                    var wakeAt = Math.Min(moreToSend ? nextSend : long.MaxValue, _outstanding.Count > 0 ? _outstanding.Values.Min(o => o.SentAt) + timeout : long.MaxValue);
                    receive ??= socket.ReceiveAsync(stop.Token);
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                    var delay = Task.Delay(Stopwatch.GetElapsedTime(now, Math.Max(now, wakeAt)), wait.Token);
                    if (await Task.WhenAny(receive, delay).ConfigureAwait(false) == receive)
                    {
                        await wait.CancelAsync().ConfigureAwait(false);
                        if (receive.IsCompletedSuccessfully)
                        {
                            Handle(receive.Result);
                        }
                        else if (!cancellation.IsCancellationRequested)
                        {
                            await receive.ConfigureAwait(false); // a socket failure: let it surface
                        }

                        receive = null;
                    }
                }
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                if (receive is not null)
                {
                    await receive.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }
            }

            return new PingSummary(
                command.ProbeId, command.Host, address, _transmitted, _roundTrips.Count, _errors,
                Stopwatch.GetElapsedTime(start), _roundTrips.Summary(), interrupted);
        }

        private async Task SendAsync(long now, CancellationToken cancellation)
        {
            var sequence = ++_transmitted;
            var refusal = await socket.SendEchoAsync((ushort)sequence, command.PayloadSize, cancellation).ConfigureAwait(false);
            if (refusal is null)
            {
                _outstanding[sequence] = new Outstanding(now);
            }
            else
            {
                _errors++;
                context.Emit(new PingResponse(command.ProbeId, sequence, PingOutcome.Unreachable, "", 0, null, null, $"sendto: {refusal}"));
            }
        }

        private void ExpireOutstanding(long now, long timeout)
        {
            foreach (var (sequence, _) in _outstanding.Where(o => now - o.Value.SentAt >= timeout).ToList())
            {
                _outstanding.Remove(sequence);
                context.Emit(new PingResponse(command.ProbeId, sequence, PingOutcome.Timeout, "", 0, null, null, ""));
            }
        }

        private void Handle(ReceivedAnswer received)
        {
            var answer = received.Answer;
            var sequence = SequenceOf(answer.Sequence);
            if (sequence is null || !_outstanding.Remove(sequence.Value))
            {
                return; // late (already timed out), duplicate, or not ours
            }

            var from = received.From.ToString();
            if (answer.Kind == IcmpAnswerKind.EchoReply)
            {
                var milliseconds = IcmpSocket.Milliseconds(socket.SentAt(answer.Sequence), received.ReceivedAt);
                _roundTrips.Add(milliseconds);
                context.Emit(new PingResponse(command.ProbeId, sequence.Value, PingOutcome.Reply, from, answer.Bytes, answer.Ttl, milliseconds, ""));
            }
            else
            {
                _errors++;
                var outcome = answer.Kind == IcmpAnswerKind.TimeExceeded ? PingOutcome.TimeExceeded : PingOutcome.Unreachable;
                context.Emit(new PingResponse(command.ProbeId, sequence.Value, outcome, from, answer.Bytes, answer.Ttl, null, answer.Detail));
            }
        }

        /// <summary>The full sequence number of an outstanding request whose low 16 bits are <paramref name="wire"/>.</summary>
        private int? SequenceOf(ushort wire)
        {
            foreach (var sequence in _outstanding.Keys)
            {
                if ((ushort)sequence == wire)
                {
                    return sequence;
                }
            }

            return null;
        }

        /// <param name="SentAt">Stopwatch time, for timeouts (the round trip uses the socket's kernel stamps).</param>
        private readonly record struct Outstanding(long SentAt);

        private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
    }
}
