namespace DaneTools.Core.Smtp;

/// <summary>How far a STARTTLS probe got.</summary>
public enum SmtpProbeOutcome
{
    /// <summary>Connected, STARTTLS and the TLS handshake succeeded; the presented chain is recorded.</summary>
    TlsEstablished,

    /// <summary>The server's EHLO reply did not offer STARTTLS (RFC 3207).</summary>
    StartTlsNotOffered,

    /// <summary>STARTTLS was offered but refused, or the TLS handshake failed.</summary>
    TlsHandshakeFailed,

    /// <summary>The TCP connection could not be made, or the server closed it before its greeting.</summary>
    ConnectionFailed,

    /// <summary>The server greeted or answered with an error, or broke the protocol.</summary>
    ProtocolError,

    /// <summary>The probe's time ran out.</summary>
    Timeout,
}
