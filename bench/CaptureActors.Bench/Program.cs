using CaptureActors.Bench.Tools;

// capture-bench: tools for bench/*.sh (never run by the tests).
return args switch
{
    ["flood", .. var rest] => Flood.Run(rest),
    ["make-pcap", .. var rest] => MakePcap.Run(rest),
    ["tcp-copy", .. var rest] => await TcpCopy.RunAsync(rest),
    ["rtt-probe", .. var rest] => await RttProbe.RunAsync(rest),
    ["replay", .. var rest] => Replay.Run(rest),
    ["summarize", .. var rest] => Summarize.Run(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: capture-bench flood HOST PORT COUNT PAYLOAD [PPS] | make-pcap PATH BYTES [FRAME] | tcp-copy FILE OUT | rtt-probe HOST PORT SECONDS | replay IN OUT | summarize DIR");
    return 2;
}
