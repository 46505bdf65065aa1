namespace DaneTools.Core.Sts;

/// <summary>The RFC 8460 section 4.3 result types an MTA-STS failure is reported with.</summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-4.3"/>
public static class MtaStsResultTypes
{
    /// <summary>The policy could not be fetched (DNS of the policy host, connection, HTTP status, redirect, size, time).</summary>
    public const string PolicyFetchError = "sts-policy-fetch-error";

    /// <summary>The policy (or its TXT record) was fetched but does not follow RFC 8461 section 3.</summary>
    public const string PolicyInvalid = "sts-policy-invalid";

    /// <summary>The policy host's HTTPS certificate failed WebPKI validation for <c>mta-sts.&lt;domain&gt;</c>.</summary>
    public const string WebPkiInvalid = "sts-webpki-invalid";

    /// <summary>The MX host is not covered by the policy's <c>mx</c> patterns (RFC 8461 section 4.1).</summary>
    public const string ValidationFailure = "validation-failure";

    /// <summary>The MX host's certificate does not name the MX host (RFC 8461 section 4.2, RFC 6125).</summary>
    public const string CertificateHostMismatch = "certificate-host-mismatch";

    /// <summary>The MX host's certificate is expired or not yet valid.</summary>
    public const string CertificateExpired = "certificate-expired";

    /// <summary>The MX host's certificate does not chain to a trusted root.</summary>
    public const string CertificateNotTrusted = "certificate-not-trusted";

    /// <summary>The MX host offered no STARTTLS (or TLS below 1.2).</summary>
    public const string StartTlsNotSupported = "starttls-not-supported";
}
