namespace DaneTools.Core.Dane;

/// <summary>What the validated MX lookup of a recipient domain gave (RFC 5321 section 5.1, RFC 7505, RFC 7672 section 2.2.1).</summary>
public enum DaneMxKind
{
    /// <summary>An MX RRset naming one or more hosts.</summary>
    Mx,

    /// <summary>No MX RRset (NODATA): the domain itself is the only host (implicit MX, a non-MX destination).</summary>
    ImplicitMx,

    /// <summary>A null MX (<c>0 .</c>, RFC 7505): the domain accepts no mail.</summary>
    NullMx,

    /// <summary>The domain does not exist (NXDOMAIN).</summary>
    DomainDoesNotExist,

    /// <summary>The MX lookup was bogus or failed.</summary>
    LookupFailed,
}
