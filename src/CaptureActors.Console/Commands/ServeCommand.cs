using System.CommandLine;
using CaptureActors.Console.Agent;
using CaptureActors.Console.Web;
using CaptureActors.Protocol;
using CaptureActors.Web;
using CaptureActors.Web.Access;
using CaptureActors.Web.Api;
using CaptureActors.Web.Nodes;

namespace CaptureActors.Console.Commands;

/// <summary>
/// <c>capturectl serve [--listen 127.0.0.1:8080]</c>: the Packet Capture web page for the selected nodes (every
/// configured node unless <c>--on</c> narrows it; none: the agent embedded in this process), until Ctrl-C. Captures
/// started from the page are detached: they run on when the browser closes (with the embedded agent: while serve runs).
/// </summary>
public static class ServeCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Address to serve the page on; anything but loopback needs a credential and HTTPS",
            HelpName = "HOST:PORT",
            DefaultValueFactory = _ => WebServerOptions.DefaultListen,
        };
        var tokenFile = new Option<string?>("--token-file") { Description = "Require this token (first line of FILE): Authorization: Bearer, or the page's sign-in form", HelpName = "FILE" };
        var basicFile = new Option<string?>("--basic-auth-file") { Description = "Require basic auth with the USER:PASSWORD line of FILE", HelpName = "FILE" };
        var certificate = new Option<string?>("--certificate") { Description = "Serve HTTPS with this PEM certificate", HelpName = "CERT.pem" };
        var certificateKey = new Option<string?>("--certificate-key") { Description = "The certificate's PEM private key (if not in CERT.pem)", HelpName = "KEY.pem" };
        var allowedHost = new Option<string[]>("--allowed-host")
        {
            Description = "Also answer to this host name (repeatable); besides it only 127.0.0.1, [::1], localhost and the listen address: any other Host gets 421",
            HelpName = "NAME",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("serve", "Serve the Packet Capture web page for the nodes (loopback only unless a credential and HTTPS are given)");
        command.Options.Add(listen);
        command.Options.Add(tokenFile);
        command.Options.Add(basicFile);
        command.Options.Add(certificate);
        command.Options.Add(certificateKey);
        command.Options.Add(allowedHost);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(runtime.Globals.Json);
            WebServerOptions options;
            AgentTarget target;
            try
            {
                options = new WebServerOptions
                {
                    Listen = WebServerOptions.ParseListen(parseResult.GetValue(listen) ?? WebServerOptions.DefaultListen),
                    Token = parseResult.GetValue(tokenFile) is { } token ? WebServerOptions.ReadToken(token) : null,
                    Basic = parseResult.GetValue(basicFile) is { } basic ? WebServerOptions.ReadBasic(basic) : null,
                    Certificate = parseResult.GetValue(certificate) is { } cert ? WebServerOptions.LoadCertificate(cert, parseResult.GetValue(certificateKey)) : null,
                    AllowedHosts = [.. (parseResult.GetValue(allowedHost) ?? []).Select(WebServerOptions.ParseAllowedHost).Distinct(StringComparer.Ordinal)],
                };
                options.Validate();
                target = runtime.Globals.Target(parseResult, everyNode: true);
            }
            catch (Exception e) when (e is WebOptionsException or UsageException)
            {
                runtime.ReportError(json, "usage", e.Message, null);
                return ExitCodes.Usage;
            }

            try
            {
                return await ServeAsync(runtime, options, target, cancellationToken).ConfigureAwait(false);
            }
            catch (CapturectlFailure failure)
            {
                runtime.ReportError(json, "failed", failure.Message, null);
                return ExitCodes.Failed;
            }
            catch (IOException e)
            {
                runtime.ReportError(json, "failed", $"cannot serve on {options.Listen}: {e.Message}", null);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static async Task<int> ServeAsync(CommandRuntime runtime, WebServerOptions options, AgentTarget target, CancellationToken cancellationToken)
    {
        RemoteConsoleHost? remote = null;
        AgentConnection? embedded = null;
        try
        {
            NodeConnections connections;
            if (target.IsRemote)
            {
                remote = await RemoteConsoleHost.StartAsync(target, cancellationToken).ConfigureAwait(false);
                connections = new NodeConnections(remote.System, [.. target.RemoteNodes.Select(WebNode.Remote)], target.Tls);
            }
            else
            {
                embedded = await runtime.Connector.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
                connections = new NodeConnections(embedded.System, [WebNode.Embedded(target.NodeName, embedded.Agent)]);
            }

            var board = new CaptureBoard(connections, new ConsoleWebFileTransfer(connections.System, runtime.AskTimeout), CaptureOwner.OfThisProcess("web"));
            await using var server = await WebServer.StartAsync(options, board, cancellationToken).ConfigureAwait(false);
            var nodes = target.IsRemote
                ? string.Join(", ", target.RemoteNodes.Select(n => n.ToString()))
                : $"{target.NodeName} (embedded agent: captures started on the page run while serve runs)";
            runtime.Io.Out.WriteLine($"serving the Packet Capture page on {server.Address} for nodes {nodes}");
            runtime.Io.Out.WriteLine(options.RequiresCredential ? "a credential is required" : "no credential: loopback only");
            runtime.Io.Out.WriteLine($"answers to Host {new HostRule(options).Describe(server.Address.Port)} (more with --allowed-host NAME)");
            runtime.Io.Out.WriteLine("Ctrl-C stops serving; captures started from the page run on (detached)");
            runtime.Io.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM: the normal end of serving.
            }

            return ExitCodes.Done;
        }
        finally
        {
            if (remote is not null)
            {
                await remote.DisposeAsync().ConfigureAwait(false);
            }

            if (embedded is not null)
            {
                await embedded.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
