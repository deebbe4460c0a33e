using Akka.Event;

namespace CaptureActors.Console.Agent;

/// <summary>
/// Akka's fallback logger with the same filter: Akka switches to it while the actor system shuts down, after
/// <see cref="ConsoleAkkaLogger"/> has stopped, and a closing connection's transport warning
/// ("Unable to REMOVE channel … from connection group") landed there after every remote command.
/// </summary>
public sealed class ConsoleStandardOutLogger : StandardOutLogger
{
    protected override void Log(object message)
    {
        if (message is not LogEvent e || ConsoleAkkaLogger.Keeps(e))
        {
            base.Log(message);
        }
    }
}
