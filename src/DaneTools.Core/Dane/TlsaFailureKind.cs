namespace DaneTools.Core.Dane;

/// <summary>
/// Classifies a TLSA match failure the way the SMTP report needs it: one kind maps to both an Exchange Online
/// NDR code and an RFC 8460 result type (DESIGN section 6).
/// </summary>
public enum TlsaFailureKind
{
    /// <summary>No failure: the server was authenticated, or no usable record exists (DANE does not authenticate).</summary>
    None,

    /// <summary>A name check failed after a match (Exchange Online 5.7.325 certificate-host-mismatch).</summary>
    CertificateHostMismatch,

    /// <summary>A certificate below a DANE-TA or PKIX trust anchor had expired (Exchange Online 5.7.322 certificate-expired); never used for DANE-EE.</summary>
    CertificateExpired,

    /// <summary>Any other failure: no match, not yet valid, broken chain, PKIX path failure (Exchange Online 5.7.323 tlsa-invalid).</summary>
    TlsaInvalid,
}
