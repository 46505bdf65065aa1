using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Dns;

/// <summary>
/// Canonical ordering of records (RFC 4034 sections 6.1 and 6.3): by owner in canonical name order, then class,
/// then type, then canonical RDATA as a left-justified unsigned octet sequence (a shorter prefix first).
/// </summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc4034#section-6.3"/>
public sealed class CanonicalOrder : IComparer<ResourceRecord>
{
    /// <summary>Gets the shared instance.</summary>
    public static CanonicalOrder Instance { get; } = new CanonicalOrder();

    private CanonicalOrder()
    {
    }

    /// <summary>Compares two records in canonical order.</summary>
    /// <param name="x">The first record; null sorts first.</param>
    /// <param name="y">The second record; null sorts first.</param>
    /// <returns>Negative, zero or positive.</returns>
    public int Compare(ResourceRecord? x, ResourceRecord? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int c = x.Owner.CompareTo(y.Owner);
        if (c != 0) return c;
        c = x.Class.CompareTo(y.Class);
        if (c != 0) return c;
        c = ((ushort)x.Type).CompareTo((ushort)y.Type);
        if (c != 0) return c;
        return x.CanonicalRdata.CompareOctets(y.CanonicalRdata);
    }

    /// <summary>
    /// Returns an RRset in canonical order with duplicate RRs (same canonical RDATA) removed, as the signed data
    /// of RFC 4034 section 3.1.8.1 requires.
    /// </summary>
    /// <param name="rrset">The records of one RRset.</param>
    /// <returns>A new sorted list.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rrset"/> is null.</exception>
    public static IReadOnlyList<ResourceRecord> SortRrset(IEnumerable<ResourceRecord> rrset)
    {
        if (rrset is null) throw new ArgumentNullException(nameof(rrset));
        var sorted = rrset.OrderBy(r => r, Instance).ToList();
        var result = new List<ResourceRecord>(sorted.Count);
        foreach (var r in sorted)
        {
            if (result.Count == 0 || Instance.Compare(result[result.Count - 1], r) != 0) result.Add(r);
        }
        return result;
    }
}
