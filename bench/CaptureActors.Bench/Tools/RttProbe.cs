using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CaptureActors.Protocol;
using CaptureActors.Protocol.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaptureActors.Bench.Tools;

/// <summary>
/// <c>rtt-probe HOST PORT SECONDS</c>: asks the agent at HOST:PORT for its identity every 20 ms for SECONDS (at most
/// 120) over one Akka.Remote association, printing one line per answer: Unix time in ms when it was asked, round trip in ms.
/// </summary>
public static class RttProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var host, var portText, var secondsText]
            || !int.TryParse(portText, CultureInfo.InvariantCulture, out var port)
            || !double.TryParse(secondsText, CultureInfo.InvariantCulture, out var seconds) || seconds is <= 0 or > 120)
        {
            Console.Error.WriteLine("usage: capture-bench rtt-probe HOST PORT SECONDS (SECONDS: up to 120)");
            return 2;
        }

        using var app = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("rtt-probe", akka => akka.WithRemoting("127.0.0.1", 0).AddCaptureProtocolSerialization()))
            .Build();
        await app.StartAsync();
        try
        {
            var system = app.Services.GetRequiredService<ActorSystem>();
            var agent = await system.ActorSelection(AgentAddress.Path(host, port)).ResolveOne(TimeSpan.FromSeconds(10));
            var until = Stopwatch.StartNew();
            while (until.Elapsed.TotalSeconds < seconds)
            {
                var asked = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var clock = Stopwatch.StartNew();
                await agent.Ask<AgentIdentity>(IdentifyAgent.Instance, TimeSpan.FromSeconds(5));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{asked} {clock.Elapsed.TotalMilliseconds:0.000}"));
                await Task.Delay(20);
            }
        }
        finally
        {
            await app.StopAsync();
        }

        return 0;
    }
}
