namespace DaneTools.Core.Sts;

/// <summary>The <c>mode</c> of an MTA-STS policy (RFC 8461 section 5).</summary>
public enum MtaStsMode
{
    /// <summary>No usable policy: none published, or discovery, fetch or parsing failed (RFC 8461 section 5: deliver as without MTA-STS).</summary>
    NoPolicy,

    /// <summary><c>none</c>: the domain withdrew its policy; as if no policy.</summary>
    None,

    /// <summary><c>testing</c>: failures are reported (TLS-RPT) but delivery goes on.</summary>
    Testing,

    /// <summary><c>enforce</c>: a sender must not deliver to an MX host that fails the policy.</summary>
    Enforce,
}
