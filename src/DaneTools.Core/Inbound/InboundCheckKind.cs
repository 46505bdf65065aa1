namespace DaneTools.Core.Inbound;

/// <summary>The checks of an inbound readiness result, in the order they are listed.</summary>
public enum InboundCheckKind
{
    /// <summary>The domain's DNSSEC chain, as the MX RRset validates (RFC 4035 section 5).</summary>
    DnssecChain,

    /// <summary>The MX RRset: one MX, preference 0 or 10, the <c>mx.microsoft</c> host (or the expected value), the legacy host gone.</summary>
    MxRecordSet,

    /// <summary>The MX RRset's TTL, low during the move and restored after it.</summary>
    MxTtl,

    /// <summary>The new MX host's A and AAAA RRsets are Secure (RFC 7672 section 2.2.2).</summary>
    MxHostAddresses,

    /// <summary>TLSA at <c>_25._tcp.&lt;new host&gt;</c>: present, Secure, usable (RFC 7672 section 3.1).</summary>
    Tlsa,

    /// <summary>A STARTTLS probe of every address of the new host matches the TLSA records (RFC 7672 section 3).</summary>
    StartTlsProbe,

    /// <summary>The MTA-STS policy, if any, lists the new host, and its mode (RFC 8461 section 4.1).</summary>
    MtaSts,

    /// <summary>The TLS-RPT record at <c>_smtp._tls.&lt;domain&gt;</c> (RFC 8460 section 3); information only.</summary>
    TlsRpt,
}
