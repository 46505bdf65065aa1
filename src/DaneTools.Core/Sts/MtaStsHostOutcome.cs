namespace DaneTools.Core.Sts;

/// <summary>The MTA-STS verdict for one MX host (RFC 8461 section 4), judged whatever the mode.</summary>
public enum MtaStsHostOutcome
{
    /// <summary>No policy applies (none published, fetch or parsing failed, or mode none).</summary>
    NoPolicy,

    /// <summary>The host matches an mx pattern and presented a WebPKI-valid certificate for its name over TLS 1.2 or later.</summary>
    Valid,

    /// <summary>The host matches no mx pattern (RFC 8461 section 4.1).</summary>
    MxNotListed,

    /// <summary>The host matches, but its certificate or TLS failed (RFC 8461 section 4.2).</summary>
    CertificateInvalid,

    /// <summary>The host matches, but its certificate was not seen (DNS only, or the probe got no TLS session).</summary>
    NotChecked,
}
