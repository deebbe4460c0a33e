using Akka.Hosting;

namespace CaptureActors.Protocol.Security;

/// <summary>Akka.Hosting set-up of mutual TLS for Akka.Remote; agents and consoles call the same method.</summary>
public static class MutualTlsHosting
{
    /// <summary>
    /// Loads <c>remote-tls.hocon</c> (enable-ssl and its documented switches) and hands the node's certificate and
    /// trust rule to the transport (<see cref="MutualTlsSetup.ToDotNetty"/>); <see cref="MutualTlsSetup.Of"/> finds
    /// them later. Call it before any HOCON file that may override remote-tls.hocon (an agent's <c>--config</c>).
    /// </summary>
    public static AkkaConfigurationBuilder AddMutualTls(this AkkaConfigurationBuilder builder, MutualTlsSetup tls)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tls);
        return builder
            .AddHoconFile(RemoteTlsSettings.HoconFile, HoconAddMode.Prepend)
            .AddSetup(tls)
            .AddSetup(tls.ToDotNetty());
    }
}
