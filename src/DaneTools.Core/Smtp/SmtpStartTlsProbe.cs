using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace DaneTools.Core.Smtp;

/// <summary>
/// Probes one SMTP server address: connect, EHLO, STARTTLS with SNI, EHLO, QUIT. It sends no MAIL FROM and
/// records the presented certificate chain for DANE matching.
/// </summary>
/// <remarks>
/// The TCP connection is made here (not by MailKit) so the exact address is probed while the name given to MailKit,
/// the TLSA base domain, is sent as SNI (RFC 7672 section 8.1). Certificate checks are not made during the handshake:
/// the chain is captured and matched afterwards against the TLSA records, since the probe sends nothing that needs
/// protecting. Revocation checking is off (DANE does not use it; no network to reach it).
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
        var chain = new List<byte[]>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var client = new DaneSmtpClient(transcript)
        {
            LocalDomain = helo,
            CheckCertificateRevocation = false,
            Timeout = (int)timeout.TotalMilliseconds,
            ServerCertificateValidationCallback = (_, certificate, x509Chain, _) =>
            {
                CaptureChain(certificate, x509Chain, chain);
                return true;
            },
        };

        SmtpProbeOutcome outcome;
        string? error = null;
        string? tlsVersion = null, cipher = null;
        int? strength = null;
        try
        {
            var socket = await ConnectAsync(address, port, limit.Token).ConfigureAwait(false);
            await client.ConnectAsync(socket, serverName, port, SecureSocketOptions.StartTls, limit.Token).ConfigureAwait(false);
            outcome = SmtpProbeOutcome.TlsEstablished;
            // Read the session's parameters now: MailKit forgets them when the connection closes.
            tlsVersion = client.SslProtocol.ToString();
#if NET8_0_OR_GREATER
            cipher = client.SslCipherSuite?.ToString() ?? client.SslCipherAlgorithm?.ToString();
#else
            cipher = client.SslCipherAlgorithm?.ToString();
#endif
            strength = client.SslCipherStrength;
            try
            {
                await client.DisconnectAsync(true, limit.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException || ex is SmtpProtocolException || ex is SmtpCommandException || ex is OperationCanceledException)
            {
                // A server that drops the line at QUIT has still shown what we came for.
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = SmtpProbeOutcome.Timeout;
            error = $"no answer within {timeout.TotalSeconds:0} s";
        }
        catch (TimeoutException)
        {
            outcome = SmtpProbeOutcome.Timeout;
            error = $"no answer within {timeout.TotalSeconds:0} s";
        }
        catch (SocketException ex)
        {
            outcome = SmtpProbeOutcome.ConnectionFailed;
            error = $"connection to {Format(address, port)} failed: {ex.SocketErrorCode}";
        }
        catch (NotSupportedException)
        {
            outcome = SmtpProbeOutcome.StartTlsNotOffered;
            error = "the server's EHLO reply does not offer STARTTLS";
        }
        catch (SslHandshakeException ex)
        {
            outcome = SmtpProbeOutcome.TlsHandshakeFailed;
            error = "TLS handshake failed: " + (ex.InnerException?.Message ?? ex.Message);
        }
        catch (System.Security.Authentication.AuthenticationException ex)
        {
            outcome = SmtpProbeOutcome.TlsHandshakeFailed;
            error = "TLS handshake failed: " + ex.Message;
        }
        catch (SmtpCommandException ex) when (ex.StatusCode != SmtpStatusCode.ServiceNotAvailable && WasStartTlsSent(transcript))
        {
            outcome = SmtpProbeOutcome.TlsHandshakeFailed;
            error = $"STARTTLS refused: {(int)ex.StatusCode} {ex.Message}";
        }
        catch (SmtpCommandException ex)
        {
            outcome = SmtpProbeOutcome.ProtocolError;
            error = $"the server answered {(int)ex.StatusCode} {ex.Message}";
        }
        catch (SmtpProtocolException ex)
        {
            outcome = transcript.ServerLines.Count == 0 ? SmtpProbeOutcome.ConnectionFailed : SmtpProbeOutcome.ProtocolError;
            error = ex.Message;
        }
        catch (IOException ex)
        {
            outcome = WasStartTlsSent(transcript) ? SmtpProbeOutcome.TlsHandshakeFailed
                : transcript.ServerLines.Count == 0 ? SmtpProbeOutcome.ConnectionFailed : SmtpProbeOutcome.ProtocolError;
            error = ex.Message;
        }
        cancellationToken.ThrowIfCancellationRequested();

        var serverLines = transcript.ServerLines;
        var keywords = EhloKeywords(transcript.Lines);
        return new SmtpProbeResult(address.ToString(), port, serverName, outcome, error,
            serverLines.Count > 0 ? serverLines[0] : null,
            keywords,
            keywords.Contains("STARTTLS"),
            tlsVersion,
            cipher,
            strength,
            chain.ToArray(),
            transcript.Lines,
            clock.Elapsed);
    }

    internal static async Task<Socket> ConnectAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (cancellationToken.Register(() => socket.Dispose()))
            {
                await socket.ConnectAsync(address, port).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            return socket;
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (SocketException) when (cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new OperationCanceledException(cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static void CaptureChain(System.Security.Cryptography.X509Certificates.X509Certificate? leaf,
        System.Security.Cryptography.X509Certificates.X509Chain? x509Chain, List<byte[]> chain)
    {
        chain.Clear();
        if (leaf is null) return;
        var leafDer = leaf.GetRawCertData();
        chain.Add(leafDer);
        if (x509Chain is null) return;
        // The certificates the server sent beside its leaf (RFC 8446 4.4.2), in the order sent.
        foreach (var extra in x509Chain.ChainPolicy.ExtraStore)
        {
            var der = extra.RawData;
            if (!Hex.FixedTimeEquals(der, leafDer)) chain.Add(der);
        }
    }

    private static bool WasStartTlsSent(SmtpTranscriptLogger transcript)
    {
        foreach (var line in transcript.Lines)
        {
            if (line.StartsWith("C: STARTTLS", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

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
