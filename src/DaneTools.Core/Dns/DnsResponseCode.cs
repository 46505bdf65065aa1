namespace DaneTools.Core.Dns;

/// <summary>DNS response codes (RFC 1035 section 4.1.1), the values a validator acts on.</summary>
public enum DnsResponseCode : ushort
{
    /// <summary>No error (0).</summary>
    NoError = 0,

    /// <summary>The server could not interpret the query (1).</summary>
    FormErr = 1,

    /// <summary>The server failed, e.g. a validating resolver found bogus data (2).</summary>
    ServFail = 2,

    /// <summary>The queried name does not exist (3).</summary>
    NXDomain = 3,

    /// <summary>The server does not support the query (4).</summary>
    NotImp = 4,

    /// <summary>The server refused the query (5).</summary>
    Refused = 5,

    /// <summary>A name that should not exist does: for a query, the DNAME substitution gives a name longer than 255 octets (6, RFC 6672 section 2.2).</summary>
    YXDomain = 6,
}
