using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Smtp;

namespace DaneTools.Core.Dane;

/// <summary>The production <see cref="ISmtpProber"/>: <see cref="SmtpStartTlsProbe.ProbeAsync"/> over the network.</summary>
public sealed class SmtpStartTlsProber : ISmtpProber
{
    /// <summary>Gets the shared instance (the prober is stateless).</summary>
    public static SmtpStartTlsProber Instance { get; } = new();

    /// <inheritdoc/>
    public Task<SmtpProbeResult> ProbeAsync(IPAddress address, string serverName, SmtpProbeOptions options, CancellationToken cancellationToken = default) =>
        SmtpStartTlsProbe.ProbeAsync(address, serverName, options, cancellationToken);
}
