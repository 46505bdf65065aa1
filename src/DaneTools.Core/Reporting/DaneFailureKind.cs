namespace DaneTools.Core.Reporting;

/// <summary>
/// Why delivery to a recipient domain or MX host failed under RFC 7672, in one classification that maps both to the
/// Exchange Online NDR code and to the RFC 8460 (TLS-RPT) result type (<see cref="DaneFailureCodes"/>).
/// </summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-4.3"/>
public enum DaneFailureKind
{
    /// <summary>No failure.</summary>
    None,

    /// <summary>DANE or TLS was required but the server's EHLO reply did not offer STARTTLS (Exchange Online 5.7.321, TLS-RPT starttls-not-supported).</summary>
    StartTlsNotSupported,

    /// <summary>STARTTLS was offered but refused, or the TLS handshake failed (Exchange Online 5.7.321, TLS-RPT validation-failure).</summary>
    TlsHandshakeFailed,

    /// <summary>A certificate below a DANE-TA trust anchor had expired (Exchange Online 5.7.322, TLS-RPT certificate-expired); never for DANE-EE.</summary>
    CertificateExpired,

    /// <summary>No usable TLSA record matched, or another DANE check failed (Exchange Online 5.7.323, TLS-RPT tlsa-invalid).</summary>
    TlsaInvalid,

    /// <summary>MX, address or TLSA data was bogus, or a TLSA lookup failed (Exchange Online 5.7.324, TLS-RPT dnssec-invalid).</summary>
    DnssecInvalid,

    /// <summary>A DANE-TA match, but the certificate names none of the reference identifiers (Exchange Online 5.7.325, TLS-RPT certificate-host-mismatch).</summary>
    CertificateHostMismatch,

    /// <summary>A lookup timed out or failed without proof of bogus data (Exchange Online 5.4.312, TLS-RPT dnssec-invalid: no valid records returned).</summary>
    DnsQueryFailed,

    /// <summary>The TCP connection or the SMTP greeting failed (Exchange Online 5.4.316; not a TLS-RPT failure).</summary>
    ConnectionFailed,

    /// <summary>The MX host name has no address records (Exchange Online 5.4.4; not a TLS-RPT failure).</summary>
    HostNotFound,

    /// <summary>The domain publishes a null MX (RFC 7505): it accepts no mail (5.1.10; not a TLS-RPT failure).</summary>
    NullMx,

    /// <summary>The recipient domain does not exist (Exchange Online 5.4.310; not a TLS-RPT failure).</summary>
    DomainDoesNotExist,
}
