namespace DaneTools.Core.Dane;

/// <summary>What the TLSA lookup of an MX host requires of the SMTP session (RFC 7672 section 2.2, DESIGN section 6).</summary>
public enum DaneRequirement
{
    /// <summary>No secure TLSA RRset: opportunistic TLS, no DANE.</summary>
    None,

    /// <summary>A secure TLSA RRset without usable records: TLS is mandatory, no authentication.</summary>
    TlsMandatory,

    /// <summary>A secure TLSA RRset with at least one usable record: DANE authentication is mandatory.</summary>
    DaneMandatory,

    /// <summary>The address or TLSA lookup failed or was bogus: the host must not be used.</summary>
    HostUnusable,
}
