namespace DaneTools.Core.Delivery;

/// <summary>
/// Whether <see cref="DaneMailSender"/> applies the recipient domain's MTA-STS policy (RFC 8461), as Exchange Online's outbound
/// connectors' <c>-MtaStsMode</c> does.
/// </summary>
public enum MtaStsMailMode
{
    /// <summary>Discover the policy and apply what it says (RFC 8461 section 5): <c>enforce</c> refuses an MX host without DANE that
    /// is not listed or has no WebPKI-valid certificate over TLS 1.2+; <c>testing</c> delivers and reports; <c>none</c> or no policy
    /// changes nothing. Where DANE applies to a host, DANE decides (DESIGN section 6a).</summary>
    Opportunistic,

    /// <summary>Ignore MTA-STS: no policy lookup, delivery as DANE alone decides.</summary>
    None,
}
