namespace DaneTools.Core.Smtp;

/// <summary>
/// How an SMTP session with one server address failed: the one classification of MailKit, socket and TLS failures
/// (<see cref="SmtpSession.Classify"/>), shared by the STARTTLS probe and the sender.
/// </summary>
internal enum SmtpFailure
{
    /// <summary>No failure.</summary>
    None,

    /// <summary>The time limit ran out (TCP connect or a reply).</summary>
    Timeout,

    /// <summary>The TCP connection could not be made, or the server closed or broke it before its greeting.</summary>
    ConnectionFailed,

    /// <summary>
    /// Before STARTTLS: the server greeted or answered with an error or broke the protocol. Also a 421 reply anywhere
    /// before the session is up: the service is closing (RFC 5321 3.8), a temporary condition of the server, not a
    /// refusal of TLS.
    /// </summary>
    ProtocolError,

    /// <summary>STARTTLS was required and the EHLO reply did not offer it (RFC 3207).</summary>
    StartTlsNotOffered,

    /// <summary>STARTTLS was answered with an error other than 421 (e.g. 454 TLS not available).</summary>
    StartTlsRefused,

    /// <summary>
    /// The TLS handshake failed, or the connection broke between STARTTLS and the reply to the EHLO sent over TLS
    /// (with TLS 1.3 a server's handshake alert is read only there).
    /// </summary>
    TlsHandshakeFailed,

    /// <summary>Our own certificate check refused the presented chain inside the handshake (DANE authentication failed).</summary>
    CertificateRejected,

    /// <summary>After the session was up: the server refused a command of the mail transaction (MAIL, RCPT, DATA).</summary>
    CommandRejected,
}
