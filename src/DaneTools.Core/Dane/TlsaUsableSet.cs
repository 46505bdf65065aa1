using System.Collections.Generic;

namespace DaneTools.Core.Dane;

/// <summary>
/// The records of a TLSA RRset split into those a client uses and those it ignores (RFC 7671 sections 4.1 and 9,
/// RFC 7672 section 3.1.3).
/// </summary>
public sealed class TlsaUsableSet
{
    internal TlsaUsableSet(IReadOnlyList<TlsaRecord> usable, IReadOnlyList<TlsaUnusableRecord> unusable)
    {
        Usable = usable;
        Unusable = unusable;
    }

    /// <summary>Gets the usable records, in RRset order.</summary>
    public IReadOnlyList<TlsaRecord> Usable { get; }

    /// <summary>Gets the records left out, in RRset order, each with its reason.</summary>
    public IReadOnlyList<TlsaUnusableRecord> Unusable { get; }
}
