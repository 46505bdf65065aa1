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

    /// <summary>Mail destination, obsolete (RFC 1035); its name is lower-cased in canonical form.</summary>
    MD = 3,

    /// <summary>Mail forwarder, obsolete (RFC 1035); its name is lower-cased in canonical form.</summary>
    MF = 4,

    /// <summary>Canonical name (RFC 1035).</summary>
    CNAME = 5,

    /// <summary>Start of authority (RFC 1035).</summary>
    SOA = 6,

    /// <summary>Mailbox domain name, experimental (RFC 1035).</summary>
    MB = 7,

    /// <summary>Mail group member, experimental (RFC 1035).</summary>
    MG = 8,

    /// <summary>Mail rename domain name, experimental (RFC 1035).</summary>
    MR = 9,

    /// <summary>Null record, experimental (RFC 1035).</summary>
    NULL = 10,

    /// <summary>Well-known services (RFC 1035).</summary>
    WKS = 11,

    /// <summary>Domain name pointer (RFC 1035).</summary>
    PTR = 12,

    /// <summary>Host information (RFC 1035); two character-strings, no domain names (RFC 6840 section 5.1).</summary>
    HINFO = 13,

    /// <summary>Mailbox information (RFC 1035).</summary>
    MINFO = 14,

    /// <summary>Mail exchange (RFC 1035).</summary>
    MX = 15,

    /// <summary>Text strings (RFC 1035).</summary>
    TXT = 16,

    /// <summary>Responsible person (RFC 1183).</summary>
    RP = 17,

    /// <summary>AFS database location (RFC 1183).</summary>
    AFSDB = 18,

    /// <summary>Route through (RFC 1183).</summary>
    RT = 21,

    /// <summary>Signature, obsolete (RFC 2535).</summary>
    SIG = 24,

    /// <summary>Key, obsolete for DNSSEC (RFC 2535).</summary>
    KEY = 25,

    /// <summary>X.400 mapping (RFC 2163).</summary>
    PX = 26,

    /// <summary>IPv6 address (RFC 3596).</summary>
    AAAA = 28,

    /// <summary>Location (RFC 1876).</summary>
    LOC = 29,

    /// <summary>Next domain, obsolete (RFC 2535).</summary>
    NXT = 30,

    /// <summary>Service location (RFC 2782).</summary>
    SRV = 33,

    /// <summary>Naming authority pointer (RFC 3403).</summary>
    NAPTR = 35,

    /// <summary>Key exchanger (RFC 2230).</summary>
    KX = 36,

    /// <summary>Certificate (RFC 4398).</summary>
    CERT = 37,

    /// <summary>IPv6 address, historic (RFC 2874).</summary>
    A6 = 38,

    /// <summary>Delegation name, a redirection of a subtree (RFC 6672).</summary>
    DNAME = 39,

    /// <summary>EDNS(0) pseudo-record (RFC 6891); never part of validated data.</summary>
    OPT = 41,

    /// <summary>Address prefix list (RFC 3123).</summary>
    APL = 42,

    /// <summary>Delegation signer (RFC 4034 section 5).</summary>
    DS = 43,

    /// <summary>SSH key fingerprint (RFC 4255).</summary>
    SSHFP = 44,

    /// <summary>IPsec key (RFC 4025).</summary>
    IPSECKEY = 45,

    /// <summary>DNSSEC signature (RFC 4034 section 3).</summary>
    RRSIG = 46,

    /// <summary>Next secure record, authenticated denial of existence (RFC 4034 section 4).</summary>
    NSEC = 47,

    /// <summary>DNSSEC public key (RFC 4034 section 2).</summary>
    DNSKEY = 48,

    /// <summary>DHCP identifier (RFC 4701).</summary>
    DHCID = 49,

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

    /// <summary>OpenPGP key (RFC 7929).</summary>
    OPENPGPKEY = 61,

    /// <summary>Child-to-parent synchronization (RFC 7477).</summary>
    CSYNC = 62,

    /// <summary>Zone message digest (RFC 8976).</summary>
    ZONEMD = 63,

    /// <summary>Service binding (RFC 9460).</summary>
    SVCB = 64,

    /// <summary>HTTPS service binding (RFC 9460).</summary>
    HTTPS = 65,

    /// <summary>SPF, obsolete (RFC 7208).</summary>
    SPF = 99,

    /// <summary>Any type, a query type only (RFC 1035).</summary>
    ANY = 255,

    /// <summary>Uniform resource identifier (RFC 7553).</summary>
    URI = 256,

    /// <summary>Certification authority authorization (RFC 8659).</summary>
    CAA = 257,
}
