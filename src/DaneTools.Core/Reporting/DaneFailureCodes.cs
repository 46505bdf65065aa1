using System;

namespace DaneTools.Core.Reporting;

/// <summary>
/// Maps a <see cref="DaneFailureKind"/> to the Exchange Online enhanced status code (final and while retrying) and to the
/// RFC 8460 TLS-RPT result type, kept as separate values because their scopes differ (DESIGN section 6).
/// </summary>
/// <remarks>
/// Exchange Online reuses RFC 8460's names in its 4/5.7.321-325 texts, but 5.7.321 covers both a missing STARTTLS and a
/// failed handshake, while RFC 8460 reports the latter as validation-failure. The 4.x.x code is what the sender sees while
/// Exchange Online retries (15 min, 15 min, then hourly for 24 h); the 5.x.x code is the final NDR. Permanent failures
/// (null MX, non-existent domain) have no retrying code.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-4.3"/>
public static class DaneFailureCodes
{
    /// <summary>Returns the final Exchange Online NDR code and text, e.g. <c>5.7.323 tlsa-invalid</c>.</summary>
    /// <param name="kind">The failure.</param>
    /// <returns>The code and text; empty for <see cref="DaneFailureKind.None"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static string ExchangeOnlineFinal(DaneFailureKind kind) => kind switch
    {
        DaneFailureKind.None => string.Empty,
        DaneFailureKind.StartTlsNotSupported => "5.7.321 starttls-not-supported",
        DaneFailureKind.TlsHandshakeFailed => "5.7.321 starttls-not-supported",
        DaneFailureKind.CertificateExpired => "5.7.322 certificate-expired",
        DaneFailureKind.TlsaInvalid => "5.7.323 tlsa-invalid",
        DaneFailureKind.DnssecInvalid => "5.7.324 dnssec-invalid",
        DaneFailureKind.CertificateHostMismatch => "5.7.325 certificate-host-mismatch",
        DaneFailureKind.DnsQueryFailed => "5.4.312 DNS query failed",
        DaneFailureKind.ConnectionFailed => "5.4.316 Message expired, connection refused",
        DaneFailureKind.HostNotFound => "5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain",
        DaneFailureKind.NullMx => "5.1.10 Recipient address has null MX",
        DaneFailureKind.DomainDoesNotExist => "5.4.310 DNS domain does not exist",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown failure kind."),
    };

    /// <summary>Returns the Exchange Online code shown while the message is retried, e.g. <c>4.7.323 tlsa-invalid</c>.</summary>
    /// <param name="kind">The failure.</param>
    /// <returns>The 4.x.x code and text; empty for <see cref="DaneFailureKind.None"/> and for permanent failures
    /// (<see cref="DaneFailureKind.NullMx"/>, <see cref="DaneFailureKind.DomainDoesNotExist"/>, <see cref="DaneFailureKind.HostNotFound"/>:
    /// a name proven not to exist bounces at once).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static string ExchangeOnlineRetrying(DaneFailureKind kind)
    {
        if (IsPermanent(kind)) return string.Empty;
        var final = ExchangeOnlineFinal(kind);
        return final.Length == 0 ? final : "4" + final.Substring(1);
    }

    /// <summary>Returns whether a failure is permanent: retrying cannot clear it, so the sender bounces without retrying
    /// (null MX, RFC 7505 section 3; a domain or MX host proven not to exist, or without addresses).</summary>
    /// <param name="kind">The failure.</param>
    /// <returns>True for <see cref="DaneFailureKind.NullMx"/>, <see cref="DaneFailureKind.DomainDoesNotExist"/> and
    /// <see cref="DaneFailureKind.HostNotFound"/>.</returns>
    public static bool IsPermanent(DaneFailureKind kind) =>
        kind is DaneFailureKind.NullMx or DaneFailureKind.DomainDoesNotExist or DaneFailureKind.HostNotFound;

    /// <summary>Returns the RFC 8460 result type, e.g. <c>tlsa-invalid</c>.</summary>
    /// <param name="kind">The failure.</param>
    /// <returns>The result-type name of RFC 8460 section 4.3; empty when the failure is not a TLS-RPT failure (no failure,
    /// connection failures, missing host, null MX, non-existent domain).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    /// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-4.3"/>
    public static string TlsRptResultType(DaneFailureKind kind) => kind switch
    {
        DaneFailureKind.None => string.Empty,
        DaneFailureKind.StartTlsNotSupported => "starttls-not-supported",
        DaneFailureKind.TlsHandshakeFailed => "validation-failure",
        DaneFailureKind.CertificateExpired => "certificate-expired",
        DaneFailureKind.TlsaInvalid => "tlsa-invalid",
        DaneFailureKind.DnssecInvalid => "dnssec-invalid",
        DaneFailureKind.CertificateHostMismatch => "certificate-host-mismatch",
        DaneFailureKind.DnsQueryFailed => "dnssec-invalid",
        DaneFailureKind.ConnectionFailed => string.Empty,
        DaneFailureKind.HostNotFound => string.Empty,
        DaneFailureKind.NullMx => string.Empty,
        DaneFailureKind.DomainDoesNotExist => string.Empty,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown failure kind."),
    };
}
