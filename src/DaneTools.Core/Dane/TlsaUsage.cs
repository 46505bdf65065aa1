namespace DaneTools.Core.Dane;

/// <summary>TLSA certificate usage field (RFC 6698 section 2.1.1, mnemonics from RFC 7218 section 2.1).</summary>
public enum TlsaUsage : byte
{
    /// <summary>PKIX-TA(0): CA constraint, PKIX validation required. Unusable for SMTP (RFC 7672 3.1.3).</summary>
    PkixTa = 0,

    /// <summary>PKIX-EE(1): service certificate constraint, PKIX validation required. Unusable for SMTP (RFC 7672 3.1.3).</summary>
    PkixEe = 1,

    /// <summary>DANE-TA(2): trust anchor assertion (RFC 7671 section 5.2).</summary>
    DaneTa = 2,

    /// <summary>DANE-EE(3): domain-issued certificate (RFC 7671 section 5.1).</summary>
    DaneEe = 3,

    /// <summary>PrivCert(255): reserved for private use.</summary>
    PrivCert = 255,
}
