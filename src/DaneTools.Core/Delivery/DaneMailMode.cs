namespace DaneTools.Core.Delivery;

/// <summary>How strictly <see cref="DaneMailSender"/> applies DANE to a recipient domain (RFC 7672 sections 2.2 and 6).</summary>
public enum DaneMailMode
{
    /// <summary>DANE where the MX host publishes usable TLSA records, opportunistic STARTTLS elsewhere (Exchange Online's
    /// Opportunistic connector mode). Never a plaintext or unauthenticated session where DANE applies.</summary>
    Enforce,

    /// <summary>Only MX hosts with a secure, usable TLSA RRset are used; a domain without one is deferred and reported with the
    /// TLS-RPT result type <c>dane-required</c> (RFC 8460 section 4.3).</summary>
    Mandatory,
}
