using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace DaneTools.Core.Smtp;

/// <summary>
/// Probes one SMTP server address: connect, EHLO, STARTTLS with SNI, EHLO, QUIT. It sends no MAIL FROM and
/// records the presented certificate chain for DANE matching.
/// </summary>
/// <remarks>
/// One <see cref="SmtpSession"/> (exact address, SNI = the TLSA base domain, RFC 7672 section 8.1; failures classified
/// there). Certificate checks are not made during the handshake: the chain is captured and matched afterwards against
/// the TLSA records, since the probe sends nothing that needs protecting.
/// </remarks>
public static class SmtpStartTlsProbe
{
    /// <summary>Probes one address.</summary>
    /// <param name="address">The server address (IPv4 or IPv6).</param>
    /// <param name="serverName">The name to send as SNI: the TLSA base domain, or the MX host name.</param>
    /// <param name="options">Port, EHLO name and time limit; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the probe (Ctrl+C).</param>
    /// <returns>The result; failures to connect, greet, STARTTLS or handshake are outcomes, not exceptions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> or <paramref name="serverName"/> is null.</exception>
    /// <exception cref="ArgumentException">The EHLO name holds spaces or control characters.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<SmtpProbeResult> ProbeAsync(IPAddress address, string serverName, SmtpProbeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (address is null) throw new ArgumentNullException(nameof(address));
        if (serverName is null) throw new ArgumentNullException(nameof(serverName));
        options ??= new SmtpProbeOptions();
        int port = options.Port;
        string helo = options.HeloName;
        // The EHLO name goes on the wire as is: refuse anything that could end the line or add a command.
        if (string.IsNullOrEmpty(helo) || helo.Any(c => c <= ' ' || c >= 0x7F))
            throw new ArgumentException($"The EHLO name '{helo}' must be a host name or address literal without spaces or control characters.", nameof(options));
        var timeout = TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds));

        var clock = Stopwatch.StartNew();
        var transcript = new SmtpTranscriptLogger();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var session = new SmtpSession(helo, timeout, transcript);

        var outcome = SmtpProbeOutcome.TlsEstablished;
        string? error = null;
        try
        {
            await session.OpenAsync(address, port, serverName, SecureSocketOptions.StartTls, limit.Token).ConfigureAwait(false);
            await session.QuitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && SmtpSession.IsSessionFailure(ex))
        {
            (outcome, error) = Describe(session.Classify(ex), ex, address, port, timeout);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var serverLines = transcript.ServerLines;
        var keywords = EhloKeywords(transcript.Lines);
        return new SmtpProbeResult(address.ToString(), port, serverName, outcome, error,
            serverLines.Count > 0 ? serverLines[0] : null,
            keywords,
            keywords.Contains("STARTTLS"),
            session.TlsVersion,
            session.CipherAlgorithm,
            session.CipherStrength,
            session.PresentedChain.ToArray(),
            transcript.Lines,
            clock.Elapsed);
    }

    private static (SmtpProbeOutcome Outcome, string Error) Describe(SmtpFailure failure, Exception ex, IPAddress address, int port, TimeSpan timeout) => failure switch
    {
        SmtpFailure.Timeout => (SmtpProbeOutcome.Timeout, $"no answer within {timeout.TotalSeconds:0} s"),
        SmtpFailure.ConnectionFailed when ex is SocketException socket =>
            (SmtpProbeOutcome.ConnectionFailed, $"connection to {Format(address, port)} failed: {socket.SocketErrorCode}"),
        SmtpFailure.ConnectionFailed => (SmtpProbeOutcome.ConnectionFailed, ex.Message),
        SmtpFailure.StartTlsNotOffered => (SmtpProbeOutcome.StartTlsNotOffered, "the server's EHLO reply does not offer STARTTLS"),
        SmtpFailure.StartTlsRefused when ex is SmtpCommandException command =>
            (SmtpProbeOutcome.TlsHandshakeFailed, $"STARTTLS refused: {(int)command.StatusCode} {command.Message}"),
        SmtpFailure.TlsHandshakeFailed or SmtpFailure.CertificateRejected or SmtpFailure.StartTlsRefused => (SmtpProbeOutcome.TlsHandshakeFailed,
            ex is SslHandshakeException || ex is System.Security.Authentication.AuthenticationException
                ? "TLS handshake failed: " + (ex is SslHandshakeException ? ex.InnerException?.Message ?? ex.Message : ex.Message)
                : ex.Message),
        _ when ex is SmtpCommandException command => (SmtpProbeOutcome.ProtocolError, $"the server answered {(int)command.StatusCode} {command.Message}"),
        _ => (SmtpProbeOutcome.ProtocolError, ex.Message),
    };

    /// <summary>Reads the keywords of the first EHLO reply (RFC 5321 4.1.1.1), before STARTTLS.</summary>
    internal static List<string> EhloKeywords(IReadOnlyList<string> lines)
    {
        var keywords = new List<string>();
        int i = 0;
        while (i < lines.Count && !lines[i].StartsWith("C: EHLO", StringComparison.OrdinalIgnoreCase)) i++;
        bool first = true;
        for (i++; i < lines.Count; i++)
        {
            var line = lines[i];
            if (!line.StartsWith("S: 250", StringComparison.Ordinal) || line.Length < 7) break;
            if (!first)
            {
                var text = line.Substring(7).Trim();
                int space = text.IndexOf(' ');
                keywords.Add((space < 0 ? text : text.Substring(0, space)).ToUpperInvariant());
            }
            first = false;
            if (line[6] == ' ') break;
        }
        return keywords;
    }

    private static string Format(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
