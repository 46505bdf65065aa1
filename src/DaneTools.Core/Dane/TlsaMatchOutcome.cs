namespace DaneTools.Core.Dane;

/// <summary>The verdict of matching a TLSA RRset against the certificate chain a server presented.</summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc7671#section-5"/>
public enum TlsaMatchOutcome
{
    /// <summary>A usable record matched and every check its usage requires passed (OpenSSL X509_V_OK).</summary>
    Authenticated,

    /// <summary>No usable record matched the chain (OpenSSL X509_V_ERR_DANE_NO_MATCH, 65).</summary>
    NoMatch,

    /// <summary>A record matched but no name of the leaf matches a reference identifier (OpenSSL X509_V_ERR_HOSTNAME_MISMATCH, 62).</summary>
    NameMismatch,

    /// <summary>A record matched but a certificate below the trust anchor had expired at the validation time.</summary>
    CertificateExpired,

    /// <summary>A record matched but a certificate below the trust anchor was not yet valid at the validation time.</summary>
    CertificateNotYetValid,

    /// <summary>A record matched but the path below the trust anchor is broken: a bad signature, an issuer that is not a CA, or a certificate that cannot be parsed.</summary>
    ChainInvalid,

    /// <summary>A PKIX-TA(0) or PKIX-EE(1) record matched but no path to the PKIX trust store could be built (OpenSSL X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 20).</summary>
    PkixPathFailed,

    /// <summary>The RRset holds no usable record, so DANE cannot authenticate the server (for SMTP: TLS is still mandatory, RFC 7672 section 2.2).</summary>
    NoUsableRecords,
}
