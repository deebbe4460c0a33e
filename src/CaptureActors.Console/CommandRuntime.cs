using System.CommandLine;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console;

/// <summary>What every command's action shares: output, global options, the way to the agent and error mapping.</summary>
public sealed class CommandRuntime(AppIo io, GlobalOptions globals, IAgentConnector connector, TimeSpan askTimeout)
{
    public AppIo Io { get; } = io;

    public GlobalOptions Globals { get; } = globals;

    public IAgentConnector Connector { get; } = connector;

    public TimeSpan AskTimeout { get; } = askTimeout;

    /// <summary>The process's signals when run from the command line (the shell takes Ctrl-C over); null in tests.</summary>
    public ConsoleSignals? Signals { get; init; }

    /// <summary>
    /// Connects to the node, runs <paramref name="body"/> and maps failures to exit codes: usage errors 2,
    /// refusals and failures 1 (stderr, or an error document on stdout with <c>--json</c>).
    /// </summary>
    public Task<int> RunAsync(
        ParseResult parseResult,
        Func<CommandContext, Task<int>> body,
        CancellationToken cancellationToken) =>
        RunAsync(parseResult, _ => true, (context, _) => body(context), cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync(ParseResult, Func{CommandContext, Task{int}}, CancellationToken)"/>, with
    /// <paramref name="prepare"/> run first, before any agent is started: it checks and converts the arguments.
    /// </summary>
    public async Task<int> RunAsync<TPrepared>(
        ParseResult parseResult,
        Func<ParseResult, TPrepared> prepare,
        Func<CommandContext, TPrepared, Task<int>> body,
        CancellationToken cancellationToken,
        Func<NodesContext, TPrepared, Task<int>>? nodesBody = null)
    {
        var json = parseResult.GetValue(Globals.Json);
        try
        {
            var prepared = prepare(parseResult);
            var target = Globals.Target(parseResult);
            if (target.RemoteNodes.Count > 1)
            {
                if (nodesBody is null)
                {
                    throw new UsageException($"'{parseResult.CommandResult.Command.Name}' runs on one node at a time: choose one with --on (selected: {string.Join(", ", target.RemoteNodes.Select(n => n.Name))})");
                }

                await using var nodes = await Connector.ConnectNodesAsync(target, cancellationToken).ConfigureAwait(false);
                return await nodesBody(new NodesContext(this, parseResult, json, target, nodes, cancellationToken), prepared).ConfigureAwait(false);
            }

            await using var connection = await Connector.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            var client = new AgentClient(connection.Agent, target.NodeName, AskTimeout);
            var context = new CommandContext(this, parseResult, json, target, connection, client, cancellationToken);
            return await body(context, prepared).ConfigureAwait(false);
        }
        catch (UsageException usage)
        {
            ReportError(json, "usage", usage.Message, null);
            return ExitCodes.Usage;
        }
        catch (CapturectlFailure failure)
        {
            ReportError(json, failure.Code is { } code ? JsonOutput.CodeText(code) : "failed", failure.Message, failure.Detail);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ReportError(json, "interrupted", "interrupted", null);
            return ExitCodes.Failed;
        }
    }

    public void ReportError(bool json, string code, string message, object? detail)
    {
        if (json)
        {
            JsonOutput.WriteError(Io.Out, code, message, detail);
        }
        else
        {
            foreach (var line in message.Split(Environment.NewLine))
            {
                Io.WriteError(line);
            }
        }
    }
}

/// <summary>One command's run: its parse result, the node it talks to and the cancellation (Ctrl-C, SIGTERM).</summary>
public sealed record CommandContext(
    CommandRuntime Runtime,
    ParseResult ParseResult,
    bool Json,
    AgentTarget Target,
    AgentConnection Connection,
    AgentClient Client,
    CancellationToken CancellationToken)
{
    public AppIo Io => Runtime.Io;

    public string CaptureDirectory => Path.Combine(Target.DataDirectory, "captures");

    /// <summary>Failure for a reply's error code, with the message the agent gave.</summary>
    public static CapturectlFailure Failure(CommandFailed failed) => new(failed.Message, failed.Code);
}

/// <summary>One command's run on several remote nodes at once.</summary>
public sealed record NodesContext(
    CommandRuntime Runtime,
    ParseResult ParseResult,
    bool Json,
    AgentTarget Target,
    RemoteNodes Nodes,
    CancellationToken CancellationToken)
{
    public AppIo Io => Runtime.Io;
}
