namespace DaneTools.Core.Dns;

/// <summary>
/// DNS resource record types with their IANA numbers. Numbers without a member are valid too and are written
/// <c>TYPEnnn</c> (RFC 3597 section 5).
/// </summary>
/// <seealso href="https://www.iana.org/assignments/dns-parameters/dns-parameters.xhtml#dns-parameters-4"/>
public enum DnsRecordType : ushort
{
    /// <summary>IPv4 address (RFC 1035).</summary>
    A = 1,

    /// <summary>Authoritative name server (RFC 1035).</summary>
    NS = 2,

    /// <summary>Canonical name (RFC 1035).</summary>
    CNAME = 5,

    /// <summary>Start of authority (RFC 1035).</summary>
    SOA = 6,

    /// <summary>Domain name pointer (RFC 1035).</summary>
    PTR = 12,

    /// <summary>Host information (RFC 1035); two character-strings, no domain names (RFC 6840 section 5.1).</summary>
    HINFO = 13,

    /// <summary>Mail exchange (RFC 1035).</summary>
    MX = 15,

    /// <summary>Text strings (RFC 1035).</summary>
    TXT = 16,

    /// <summary>IPv6 address (RFC 3596).</summary>
    AAAA = 28,

    /// <summary>Service location (RFC 2782).</summary>
    SRV = 33,

    /// <summary>Delegation name, a redirection of a subtree (RFC 6672).</summary>
    DNAME = 39,

    /// <summary>EDNS(0) pseudo-record (RFC 6891); never part of validated data.</summary>
    OPT = 41,

    /// <summary>Delegation signer (RFC 4034 section 5).</summary>
    DS = 43,

    /// <summary>DNSSEC signature (RFC 4034 section 3).</summary>
    RRSIG = 46,

    /// <summary>Next secure record, authenticated denial of existence (RFC 4034 section 4).</summary>
    NSEC = 47,

    /// <summary>DNSSEC public key (RFC 4034 section 2).</summary>
    DNSKEY = 48,

    /// <summary>Hashed next secure record (RFC 5155 section 3).</summary>
    NSEC3 = 50,

    /// <summary>NSEC3 parameters of a zone (RFC 5155 section 4).</summary>
    NSEC3PARAM = 51,

    /// <summary>TLS certificate association (RFC 6698).</summary>
    TLSA = 52,

    /// <summary>Child copy of DS (RFC 7344).</summary>
    CDS = 59,

    /// <summary>Child copy of DNSKEY (RFC 7344).</summary>
    CDNSKEY = 60,

    /// <summary>Any type, a query type only (RFC 1035).</summary>
    ANY = 255,

    /// <summary>Certification authority authorization (RFC 8659).</summary>
    CAA = 257,
}
