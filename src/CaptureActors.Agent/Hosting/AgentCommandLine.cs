using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using CaptureActors.Protocol.Security;

namespace CaptureActors.Agent.Hosting;

/// <summary>What <c>capture-agent</c> was asked to run: the node, where it listens, extra HOCON.</summary>
/// <param name="ConfigFile">HOCON applied over <c>agent.hocon</c>; null when not given.</param>
/// <param name="Tls">Mutual TLS files (<c>--tls-cert/--tls-key/--tls-ca</c>); null: plain TCP.</param>
public sealed record AgentHostSettings(AgentOptions Agent, AgentRemoteOptions Remote, string? ConfigFile, TlsFiles? Tls = null);

/// <summary><c>capture-agent</c>'s options (design.md §6), parsed with System.CommandLine. Bad values are usage errors (exit 2).</summary>
public static partial class AgentCommandLine
{
    public const int UsageExitCode = 2;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.\-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9.\-:]{1,253}$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.][A-Za-z0-9_.\-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupNamePattern();

    /// <summary>The command: <paramref name="run"/> gets valid settings; usage errors are reported by <see cref="RunAsync"/>.</summary>
    public static RootCommand Build(Func<AgentHostSettings, CancellationToken, Task<int>> run)
    {
        var name = new Option<string>("--name")
        {
            Description = "Node name, used in file names and status (letters, digits, '.', '-')",
            HelpName = "NAME",
            DefaultValueFactory = _ => Environment.MachineName,
        };

        var listen = new Option<string>("--listen")
        {
            Description = "Address and port to listen on for controllers and consoles (Akka.Remote TCP)",
            HelpName = "HOST:PORT",
            DefaultValueFactory = _ => $"{AgentRemoteOptions.DefaultHost}:{AgentRemoteOptions.DefaultPort}",
        };

        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "The node's data directory (captures, setup, lock)",
            HelpName = "DIR",
            DefaultValueFactory = _ => AgentOptions.DefaultDataDirectory(),
        };

        var config = new Option<FileInfo?>("--config")
        {
            Description = "HOCON file applied over the defaults in agent.hocon",
            HelpName = "FILE",
        };

        var publicHost = new Option<string?>("--public-host")
        {
            Description = "Host name or address other nodes use to reach this agent, if not the --listen host",
            HelpName = "HOST",
        };

        var tlsCertificate = new Option<string?>(TlsFiles.CertificateOption)
        {
            Description = "This agent's TLS certificate (PEM); with --tls-key and --tls-ca turns on mutual TLS",
            HelpName = "FILE",
        };

        var tlsKey = new Option<string?>(TlsFiles.KeyOption)
        {
            Description = "The private key of --tls-cert (PEM)",
            HelpName = "FILE",
        };

        var tlsCa = new Option<string?>(TlsFiles.CaOption)
        {
            Description = "The CA (PEM) every console's and controller's certificate must be signed by",
            HelpName = "FILE",
        };

        var localGroup = new Option<string?>("--local-group")
        {
            Description = "Without TLS: the group whose members may use this agent from this host, besides root (default capture-actors)",
            HelpName = "GROUP",
        };

        var root = new RootCommand("capture-agent: a CaptureActors node's agent; captures packets for controllers and consoles")
        {
            name, listen, dataDirectory, config, publicHost, tlsCertificate, tlsKey, tlsCa, localGroup,
        };
        root.Validators.Add(r =>
        {
            TlsFiles.FromOptions(r.GetValue(tlsCertificate), r.GetValue(tlsKey), r.GetValue(tlsCa), out var problem);
            if (problem is not null)
            {
                r.AddError(problem);
            }
        });
        name.Validators.Add(r => Check(r, NodeNamePattern().IsMatch(r.GetValueOrDefault<string>() ?? ""),
            $"--name '{r.GetValueOrDefault<string>()}' is not a valid node name: 1 to 63 letters, digits, '.' or '-', starting with a letter or digit"));
        listen.Validators.Add(r =>
        {
            if (!TryParseEndpoint(r.GetValueOrDefault<string>() ?? "", out _, out _, out var problem))
            {
                r.AddError(problem);
            }
        });
        dataDirectory.Validators.Add(r => Check(r, !string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()), "--data-dir must not be empty"));
        localGroup.Validators.Add(r => Check(r, GroupNamePattern().IsMatch(r.GetValueOrDefault<string?>() ?? ""),
            $"--local-group '{r.GetValueOrDefault<string?>()}' is not a group name: 1 to 32 letters, digits, '_', '-' or '.', not starting with '-'"));
        publicHost.Validators.Add(r => Check(r, HostPattern().IsMatch(r.GetValueOrDefault<string?>() ?? ""),
            $"--public-host '{r.GetValueOrDefault<string?>()}' is not a host name or address"));
        config.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<FileInfo?>() is { } file && ConfigProblem(file) is { } problem)
            {
                r.AddError(problem);
            }
        });
        root.SetAction((parse, cancellation) =>
        {
            TryParseEndpoint(parse.GetValue(listen)!, out var host, out var port, out _);
            var settings = new AgentHostSettings(
                new AgentOptions
                {
                    NodeName = parse.GetValue(name)!, DataDirectory = Path.GetFullPath(parse.GetValue(dataDirectory)!), RecoverOnStart = true,
                    LocalGroup = parse.GetValue(localGroup),
                },
                new AgentRemoteOptions { Hostname = host, Port = port, PublicHostname = parse.GetValue(publicHost) },
                parse.GetValue(config)?.FullName,
                TlsFiles.FromOptions(parse.GetValue(tlsCertificate), parse.GetValue(tlsKey), parse.GetValue(tlsCa), out _));
            return run(settings, cancellation);
        });
        return root;
    }

    /// <summary>Parses and runs; usage errors go to <paramref name="stderr"/> with exit code 2.</summary>
    public static async Task<int> RunAsync(string[] args, Func<AgentHostSettings, CancellationToken, Task<int>> run, TextWriter stderr)
    {
        var parse = Build(run).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"capture-agent: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Try 'capture-agent --help'.").ConfigureAwait(false);
            return UsageExitCode;
        }

        // The host handles SIGINT/SIGTERM itself (ConsoleLifetime): no termination handling by System.CommandLine.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    /// <summary>Parses <c>HOST:PORT</c>, <c>[IPv6]:PORT</c>; port 0 to 65535 (0: any free port).</summary>
    public static bool TryParseEndpoint(string text, out string host, out int port, out string problem)
    {
        host = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            problem = $"--listen '{text}' is not HOST:PORT (for example {AgentRemoteOptions.DefaultHost}:{AgentRemoteOptions.DefaultPort})";
            return false;
        }

        host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (!HostPattern().IsMatch(host))
        {
            problem = $"--listen '{text}': '{host}' is not a host name or address";
            return false;
        }

        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            problem = $"--listen '{text}': the port must be a number from 0 to 65535";
            return false;
        }

        problem = "";
        return true;
    }

    /// <summary>A missing file is named here; what it holds is checked before the start (<see cref="AgentConfigFile"/>, one line, exit 2).</summary>
    private static string? ConfigProblem(FileInfo file) =>
        file.Exists ? null : $"--config '{file.FullName}': no such file";

    private static void Check(OptionResult result, bool ok, string message)
    {
        if (!ok)
        {
            result.AddError(message);
        }
    }
}
