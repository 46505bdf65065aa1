using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Smtp;

namespace DaneTools.Core.Dane;

/// <summary>Probes one SMTP server address with STARTTLS and reports what it presented; lets tests replace the network.</summary>
public interface ISmtpProber
{
    /// <summary>Probes one address: connect, EHLO, STARTTLS with SNI, EHLO, QUIT.</summary>
    /// <param name="address">The server address (IPv4 or IPv6).</param>
    /// <param name="serverName">The name sent as SNI: the TLSA base domain (RFC 7672 section 8.1).</param>
    /// <param name="options">Port, EHLO name and time limit.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The result; connection, STARTTLS and handshake failures are outcomes, not exceptions.</returns>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SmtpProbeResult> ProbeAsync(IPAddress address, string serverName, SmtpProbeOptions options, CancellationToken cancellationToken = default);
}
