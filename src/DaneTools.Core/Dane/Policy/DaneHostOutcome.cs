namespace DaneTools.Core.Dane;

/// <summary>The verdict for one MX host (or one of its addresses) under RFC 7672 (DESIGN section 6).</summary>
public enum DaneHostOutcome
{
    /// <summary>A usable TLSA record matched the presented chain (DANE authentication succeeded).</summary>
    Authenticated,

    /// <summary>The secure TLSA RRset holds no usable record; TLS is mandatory and worked, without authentication.</summary>
    TlsOnly,

    /// <summary>No secure TLSA records apply: delivery uses opportunistic TLS.</summary>
    NoDane,

    /// <summary>An address or TLSA lookup was bogus or failed: the host is unusable for this attempt (never a downgrade).</summary>
    DnsFailure,

    /// <summary>TLS was required but STARTTLS was not offered, the handshake failed, or the server could not be reached.</summary>
    TlsFailure,

    /// <summary>No usable TLSA record matched, a DANE-TA name check failed, or a certificate below a DANE-TA anchor expired.</summary>
    AuthFailure,
}
