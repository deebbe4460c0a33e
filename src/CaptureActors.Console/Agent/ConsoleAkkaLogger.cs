using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace CaptureActors.Console.Agent;

/// <summary>
/// capturectl's Akka logger: Akka's log events to Microsoft.Extensions.Logging (stderr), without Akka.Remote's
/// transport logging. A refused TLS handshake, a refused or unreachable address and a gated association each came
/// with a stack trace or three, printed before capturectl's own one line that names the node and the cause; they are
/// left out unless <c>CAPTURE_LOG_REMOTING=1</c> asks for them. Akka's own log filter (LogFilterSetup) is applied only
/// by loggers that evaluate it, which Akka.Hosting's logger factory logger does not, hence this logger.
/// </summary>
public sealed class ConsoleAkkaLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public const string RemotingLogVariable = "CAPTURE_LOG_REMOTING";

    /// <summary>Log sources of Akka.Remote's transport and endpoint actors (the name before the system in parentheses).</summary>
    private static readonly Regex RemotingSources = new(
        @"^(TcpTransport|TcpClientHandler|TcpServerHandler|remoting|AkkaProtocolManager) \(|/system/(endpointManager|transports)/",
        RegexOptions.CultureInvariant);

    private static readonly bool ShowRemoting = Environment.GetEnvironmentVariable(RemotingLogVariable) == "1";

    public ConsoleAkkaLogger()
    {
        var logger = DependencyResolver.For(Context.System).Resolver.GetService<ILoggerFactory>().CreateLogger("capturectl");

        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            if (Keeps(e))
            {
                logger.Log(ToLevel(e.LogLevel()), "{AkkaEvent}", e);
            }
        });
    }

    /// <summary>True unless <paramref name="e"/> is Akka.Remote transport logging and <c>CAPTURE_LOG_REMOTING=1</c> is not set.</summary>
    public static bool Keeps(LogEvent e) => ShowRemoting || e.LogSource is not { } source || !RemotingSources.IsMatch(source);

    private static LogLevel ToLevel(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
