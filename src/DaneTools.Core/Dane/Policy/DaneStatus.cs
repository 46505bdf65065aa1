namespace DaneTools.Core.Dane;

/// <summary>The RFC 7672 verdict for a recipient domain, as a DANE-enforcing MTA (Postfix, Exchange Online) reaches it (DESIGN section 6).</summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc7672#section-2.2"/>
public enum DaneStatus
{
    /// <summary>Every MX host is Authenticated or TlsOnly (a mix with NoDane hosts is Pass with a warning).</summary>
    Pass,

    /// <summary>At least one MX host can take mail and another failed (DNS, TLS or authentication).</summary>
    Degraded,

    /// <summary>No MX host can take mail and at least one failed TLS or DANE authentication.</summary>
    Fail,

    /// <summary>Every MX host is NoDane: the domain publishes no usable DANE.</summary>
    NotApplicable,

    /// <summary>The MX lookup could not be validated, or every MX host failed in DNS: a DANE client defers delivery.</summary>
    Deferred,

    /// <summary>The domain accepts no mail: a null MX (RFC 7505) or a non-existent domain.</summary>
    NoMail,

    /// <summary>DNS only (<see cref="DaneCheckOptions.DnsOnly"/>): the DNS side is sound and DANE (or TLS) is required, but no
    /// server was probed, so certificates and STARTTLS were not checked: a full check gives Pass, Degraded or Fail. Never Pass.</summary>
    /// <remarks>Appended last so the numbers of the other values (as Clixml and JSON without names keep them) do not move.</remarks>
    DnsPass,
}
