using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace DaneTools.Core.Smtp;

/// <summary>
/// One SMTP session with one server address, below the DANE policy and delivery: TCP connect to the address we resolved
/// (with a time limit and cancellation), greeting, EHLO, STARTTLS with SNI, EHLO, capture of the presented chain, QUIT;
/// and the one classification of its failures (<see cref="Classify"/>). Used by the STARTTLS probe and the sender.
/// </summary>
/// <remarks>
/// The TCP connection is made here (not by MailKit) so the exact address is used while the name given to MailKit, the
/// TLSA base domain, is sent as SNI (RFC 7672 section 8.1). Revocation checking is off (DANE does not use it). The chain
/// is captured in the certificate callback, which then asks <see cref="AcceptChain"/> (null: any chain is accepted).
/// </remarks>
internal sealed class SmtpSession : IDisposable
{
    private readonly SmtpTranscriptLogger _transcript;
    private readonly List<byte[]> _chain = new();
    private readonly TimeSpan _timeout;
    private bool _opened;

    /// <summary>Creates the session; nothing is sent yet.</summary>
    /// <param name="heloName">The EHLO name.</param>
    /// <param name="timeout">The TCP connect limit and each reply's limit.</param>
    /// <param name="transcript">Keeps the dialogue; its lines also tell how far the session got.</param>
    /// <param name="logger">The logger MailKit writes to; null for <paramref name="transcript"/> itself (a filter over it otherwise).</param>
    /// <param name="clientFactory">Makes the MailKit client; null for <see cref="DaneSmtpClient"/>.</param>
    public SmtpSession(string heloName, TimeSpan timeout, SmtpTranscriptLogger transcript, IProtocolLogger? logger = null,
        Func<IProtocolLogger, DaneSmtpClient>? clientFactory = null)
    {
        _transcript = transcript ?? throw new ArgumentNullException(nameof(transcript));
        _timeout = timeout;
        var client = (clientFactory ?? (l => new DaneSmtpClient(l)))(logger ?? transcript);
        client.LocalDomain = heloName;
        client.CheckCertificateRevocation = false;
        client.Timeout = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds);
        client.ServerCertificateValidationCallback = (_, certificate, x509Chain, _) =>
        {
            CaptureChain(certificate, x509Chain, _chain);
            if (AcceptChain is null || AcceptChain(_chain)) return true;
            ChainRejected = true;
            return false;
        };
        Client = client;
    }

    /// <summary>Gets the MailKit client, for the mail transaction once the session is open.</summary>
    public DaneSmtpClient Client { get; }

    /// <summary>Gets or sets the check of the presented chain (DER, leaf first) made inside the handshake; null accepts any.</summary>
    public Func<IReadOnlyList<byte[]>, bool>? AcceptChain { get; set; }

    /// <summary>Gets whether <see cref="AcceptChain"/> refused the chain.</summary>
    public bool ChainRejected { get; private set; }

    /// <summary>Gets the certificates the server presented, DER, leaf first, in the order sent.</summary>
    public IReadOnlyList<byte[]> PresentedChain => _chain;

    /// <summary>Gets whether TLS is up.</summary>
    public bool IsSecure { get; private set; }

    /// <summary>Gets the negotiated TLS version (e.g. Tls13), or null.</summary>
    public string? TlsVersion { get; private set; }

    /// <summary>Gets the negotiated cipher suite, or its bulk cipher on the netstandard2.0 build; null without TLS.</summary>
    public string? CipherAlgorithm { get; private set; }

    /// <summary>Gets the cipher strength in bits, or null.</summary>
    public int? CipherStrength { get; private set; }

    /// <summary>
    /// Connects to <paramref name="address"/> and opens the session: greeting, EHLO, STARTTLS with SNI
    /// <paramref name="serverName"/> as <paramref name="security"/> asks, EHLO.
    /// </summary>
    /// <param name="address">The server address we resolved.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="serverName">The name sent as SNI.</param>
    /// <param name="security">StartTls (required: a missing STARTTLS is a failure) or StartTlsWhenAvailable (opportunistic).</param>
    /// <param name="cancellationToken">Cancels; the TCP connect is also limited to the session's timeout.</param>
    /// <returns>A task that completes when the session is open.</returns>
    /// <exception cref="Exception">A failure <see cref="IsSessionFailure"/> recognises; classify it with <see cref="Classify"/>.</exception>
    public async Task OpenAsync(IPAddress address, int port, string serverName, SecureSocketOptions security, CancellationToken cancellationToken)
    {
        Socket socket;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(_timeout);
            socket = await ConnectAsync(address, port, limit.Token).ConfigureAwait(false);
        }
        await Client.ConnectAsync(socket, serverName, port, security, cancellationToken).ConfigureAwait(false);
        _opened = true;
        IsSecure = Client.IsSecure;
        if (!IsSecure) return;
        // Read the session's parameters now: MailKit forgets them when the connection closes.
        TlsVersion = Client.SslProtocol.ToString();
#if NET8_0_OR_GREATER
        CipherAlgorithm = Client.SslCipherSuite?.ToString() ?? Client.SslCipherAlgorithm?.ToString();
#else
        CipherAlgorithm = Client.SslCipherAlgorithm?.ToString();
#endif
        CipherStrength = Client.SslCipherStrength;
    }

    /// <summary>Says QUIT; a server that drops the line then changes nothing (what we came for is done).</summary>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>A task that completes when the session is closed.</returns>
    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException || ex is SmtpProtocolException || ex is SmtpCommandException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Nothing to do: the session's work is done.
        }
    }

    /// <summary>Gets whether <paramref name="exception"/> is a failure of the session (classified by <see cref="Classify"/>), not a defect.</summary>
    /// <param name="exception">What <see cref="OpenAsync"/> or the mail transaction threw.</param>
    /// <returns>True for socket, time-out, TLS, STARTTLS and SMTP failures.</returns>
    public static bool IsSessionFailure(Exception exception) =>
        exception is OperationCanceledException || exception is TimeoutException || exception is SocketException || exception is NotSupportedException ||
        exception is SslHandshakeException || exception is System.Security.Authentication.AuthenticationException ||
        exception is SmtpCommandException || exception is SmtpProtocolException || exception is IOException;

    /// <summary>
    /// Classifies a failure of this session by what was thrown and how far the dialogue got. The caller rethrows its own
    /// cancellation first: any <see cref="OperationCanceledException"/> seen here is a time limit.
    /// </summary>
    /// <param name="exception">A failure <see cref="IsSessionFailure"/> recognises.</param>
    /// <returns>The class.</returns>
    public SmtpFailure Classify(Exception exception)
    {
        bool greeted = _transcript.ServerLines.Count > 0;
        bool startTlsSent = _transcript.StartTlsSent;
        switch (exception)
        {
            case OperationCanceledException:
            case TimeoutException:
                return SmtpFailure.Timeout;
            case SocketException:
                return SmtpFailure.ConnectionFailed;
            case NotSupportedException:
                return SmtpFailure.StartTlsNotOffered;
            case SslHandshakeException:
                return ChainRejected ? SmtpFailure.CertificateRejected : SmtpFailure.TlsHandshakeFailed;
            case System.Security.Authentication.AuthenticationException:
                return SmtpFailure.TlsHandshakeFailed;
            case SmtpCommandException command:
                if (_opened) return SmtpFailure.CommandRejected;
                if (command.StatusCode == SmtpStatusCode.ServiceNotAvailable) return SmtpFailure.ProtocolError;
                return startTlsSent ? SmtpFailure.StartTlsRefused : SmtpFailure.ProtocolError;
            default:
                // SmtpProtocolException or IOException: the connection broke or the server broke the protocol.
                if (!greeted) return SmtpFailure.ConnectionFailed;
                if (startTlsSent && !_opened) return SmtpFailure.TlsHandshakeFailed;
                return _opened ? SmtpFailure.ConnectionFailed : SmtpFailure.ProtocolError;
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => Client.Dispose();

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
}
