using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CaptureActors.Protocol.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaptureActors.Protocol.Tests.Remote;

/// <summary>A real ActorSystem with Akka.Remote (DotNetty TCP) on 127.0.0.1, an OS-chosen port, built by Akka.Hosting.</summary>
internal sealed class RemoteNode : IAsyncDisposable
{
    private readonly IHost _host;

    private RemoteNode(IHost host, ExtendedActorSystem system, LogLines log)
    {
        _host = host;
        System = system;
        Log = log;
    }

    public ExtendedActorSystem System { get; }

    /// <summary>Warnings and errors Akka logged on this node.</summary>
    public LogLines Log { get; }

    public Address Address => System.Provider.DefaultAddress;

    /// <summary>Starts a node whose protocol serialization is <see cref="ProtocolSerializationHosting.AddCaptureProtocolSerialization"/> unless told otherwise.</summary>
    public static async Task<RemoteNode> StartAsync(string name, Action<AkkaConfigurationBuilder>? serialization = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAkka(name, akka =>
        {
            akka.WithRemoting("127.0.0.1", 0)
                .ConfigureLoggers(loggers => loggers.LogLevel = LogLevel.WarningLevel);
            (serialization ?? (b => b.AddCaptureProtocolSerialization()))(akka);
        });

        var host = builder.Build();
        await host.StartAsync();
        var system = (ExtendedActorSystem)host.Services.GetRequiredService<ActorSystem>();
        var log = new LogLines();
        system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new LogCollector(log)), "log-collector"), typeof(LogEvent));
        return new RemoteNode(host, system, log);
    }

    /// <summary>The actor <paramref name="name"/> under /user of <paramref name="other"/>, resolved from this node.</summary>
    public Task<IActorRef> ResolveAsync(RemoteNode other, string name) =>
        System.ActorSelection(new RootActorPath(other.Address) / "user" / name).ResolveOne(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }

    private sealed class LogCollector : ReceiveActor
    {
        public LogCollector(LogLines lines) => Receive<LogEvent>(e => lines.Add(e.ToString()));
    }
}

/// <summary>Log lines of one node; a test can wait for the first line that matches.</summary>
internal sealed class LogLines
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public IReadOnlyCollection<string> All => _lines;

    public void Add(string line)
    {
        _lines.Enqueue(line);
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => w.Match(line)))
            {
                waiter.Found.TrySetResult(line);
            }
        }
    }

    public Task<string> FirstAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((match, found));
        }

        if (_lines.FirstOrDefault(match) is { } earlier)
        {
            found.TrySetResult(earlier);
        }

        return found.Task.WaitAsync(timeout);
    }
}
