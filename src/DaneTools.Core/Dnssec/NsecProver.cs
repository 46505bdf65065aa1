using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// Proves denial of existence from validated NSEC records (RFC 4035 sections 3.1.3 and 5.4, RFC 6840 sections
/// 4.1 and 4.3).
/// </summary>
/// <remarks>
/// An NSEC covers a name when owner &lt; name &lt; next in canonical order (the last NSEC wraps to the apex). An NSEC at
/// a delegation point (NS set, SOA clear) or with the DNAME bit proves nothing about names below its owner
/// (RFC 6840 section 4.1). A NODATA proof also needs the CNAME bit clear (RFC 6840 section 4.3).
/// </remarks>
internal static class NsecProver
{
    /// <summary>
    /// Returns the NSEC at the owner its RRSIG was made over: an NSEC whose verified RRSIG has a Labels field below
    /// the owner's label count was expanded from the wildcard <c>*.</c> plus the rightmost Labels labels (RFC 4035
    /// section 5.3.2), and a denial proof may only use that owner, never the expanded name (CVE-2017-15105).
    /// </summary>
    /// <param name="nsec">The NSEC as presented.</param>
    /// <param name="rrsigLabels">The Labels field of the RRSIG that verified it.</param>
    /// <returns>The same record when it is no expansion, else a copy owned by the wildcard.</returns>
    public static NsecRecord AtSignedOwner(NsecRecord nsec, int rrsigLabels)
    {
        var owner = nsec.Owner;
        if (rrsigLabels >= owner.LabelCount - (owner.IsWildcard ? 1 : 0)) return nsec;
        return NsecRecord.From(nsec.Record.WithOwner(owner.GetAncestor(rrsigLabels).Prepend(new[] { (byte)'*' })));
    }

    /// <summary>
    /// Returns whether an NSEC of <paramref name="zone"/> proves that <paramref name="name"/> does not exist: owner &lt;
    /// name &lt; next, or, for the last NSEC of the zone (next is the apex, RFC 4034 section 4.1.1), owner &lt; name.
    /// An NSEC whose owner or next owner name lies outside the zone proves nothing (RFC 4035 section 5.4), nor does a
    /// last NSEC whose next name is not the apex.
    /// </summary>
    public static bool Covers(NsecRecord nsec, DnsName name, DnsName zone)
    {
        var owner = nsec.Owner;
        var next = nsec.NextDomainName;
        if (!name.IsSubdomainOf(zone) || !owner.IsSubdomainOf(zone) || owner.CompareTo(name) >= 0) return false;
        // A next name beyond the zone would stretch the span over names the zone cannot speak for.
        if (!next.IsSubdomainOf(zone)) return false;
        if (name.IsSubdomainOf(owner) && (nsec.HasType(DnsRecordType.DNAME) || (nsec.HasType(DnsRecordType.NS) && !nsec.HasType(DnsRecordType.SOA))))
            return false;
        if (next.CompareTo(owner) > 0) return name.CompareTo(next) < 0;
        // Wrap-around: only the last NSEC of the zone points back, and it points to the apex.
        return next.Equals(zone);
    }

    /// <summary>Returns the closest encloser implied by an NSEC covering <paramref name="name"/>.</summary>
    public static DnsName ClosestEncloser(NsecRecord cover, DnsName name, DnsName zone)
    {
        int a = CommonLabels(name, cover.Owner), b = CommonLabels(name, cover.NextDomainName);
        int n = System.Math.Max(System.Math.Max(a, b), zone.LabelCount);
        return name.GetAncestor(System.Math.Min(n, name.LabelCount));
    }

    public static DenialOutcome ProveNameError(DnsName qname, DnsName zone, IReadOnlyList<NsecRecord> nsecs)
    {
        var cover = nsecs.FirstOrDefault(n => Covers(n, qname, zone));
        if (cover is null) return new DenialOutcome(DenialVerdict.Missing, $"no NSEC covers {qname}{OutOfZone(nsecs, zone)}");
        if (cover.NextDomainName.IsSubdomainOf(qname)) return new DenialOutcome(DenialVerdict.Missing, $"{qname} is an empty non-terminal, so it exists");
        var ce = ClosestEncloser(cover, qname, zone);
        var wildcard = ce.Prepend(new[] { (byte)'*' });
        if (nsecs.Any(n => n.Owner.Equals(wildcard))) return new DenialOutcome(DenialVerdict.Missing, $"the wildcard {wildcard} exists, so {qname} cannot be NXDOMAIN");
        if (!nsecs.Any(n => Covers(n, wildcard, zone))) return new DenialOutcome(DenialVerdict.Missing, $"no NSEC proves that the wildcard {wildcard} does not exist");
        return new DenialOutcome(DenialVerdict.NameError, $"an NSEC covers {qname} and another (or the same) covers {wildcard}");
    }

    public static DenialOutcome ProveNoData(DnsName qname, DnsRecordType qtype, DnsName zone, IReadOnlyList<NsecRecord> nsecs)
    {
        var match = nsecs.FirstOrDefault(n => n.Owner.Equals(qname));
        if (match is not null)
        {
            if (match.HasType(qtype) || match.HasType(DnsRecordType.CNAME))
                return new DenialOutcome(DenialVerdict.Missing, $"the NSEC at {qname} lists {DnsRecordTypeText.ToText(qtype)} or CNAME");
            if (qtype == DnsRecordType.DS && match.HasType(DnsRecordType.SOA) && !qname.Equals(DnsName.Root))
                return new DenialOutcome(DenialVerdict.Missing, $"the NSEC at {qname} is the child zone's apex NSEC, not the parent's");
            if (qtype != DnsRecordType.DS && match.HasType(DnsRecordType.NS) && !match.HasType(DnsRecordType.SOA))
                return new DenialOutcome(DenialVerdict.Missing, $"the NSEC at {qname} is from the parent side of a delegation");
            return new DenialOutcome(DenialVerdict.NoData, $"the NSEC at {qname} does not list {DnsRecordTypeText.ToText(qtype)} or CNAME");
        }
        var cover = nsecs.FirstOrDefault(n => Covers(n, qname, zone));
        if (cover is null) return new DenialOutcome(DenialVerdict.Missing, $"no NSEC matches or covers {qname}{OutOfZone(nsecs, zone)}");
        if (cover.NextDomainName.IsSubdomainOf(qname) && !cover.NextDomainName.Equals(qname))
            return new DenialOutcome(DenialVerdict.NoData, $"{qname} is an empty non-terminal (the covering NSEC's next name {cover.NextDomainName} lies below it)");
        var ce = ClosestEncloser(cover, qname, zone);
        var wildcard = ce.Prepend(new[] { (byte)'*' });
        var wm = nsecs.FirstOrDefault(n => n.Owner.Equals(wildcard));
        // A wildcard NSEC with NS and without SOA is from the parent side of a cut at the wildcard: it proves nothing here.
        if (wm is not null && wm.HasType(DnsRecordType.NS) && !wm.HasType(DnsRecordType.SOA))
            return new DenialOutcome(DenialVerdict.Missing, $"the NSEC at the wildcard {wildcard} is from the parent side of a delegation, so it proves no wildcard NODATA for {qname}");
        if (wm is not null && !wm.HasType(qtype) && !wm.HasType(DnsRecordType.CNAME))
            return new DenialOutcome(DenialVerdict.NoData, $"{qname} is covered and the wildcard {wildcard} has no {DnsRecordTypeText.ToText(qtype)}");
        return new DenialOutcome(DenialVerdict.Missing, $"no NSEC proves that {qname} has no {DnsRecordTypeText.ToText(qtype)}");
    }

    /// <summary>Proves that a wildcard expansion was legitimate: the query name itself does not exist (RFC 4035 section 5.3.4).</summary>
    public static DenialOutcome ProveWildcardAnswer(DnsName qname, DnsName closestEncloser, DnsName zone, IReadOnlyList<NsecRecord> nsecs)
    {
        var cover = nsecs.FirstOrDefault(n => Covers(n, qname, zone));
        if (cover is null) return new DenialOutcome(DenialVerdict.Missing, $"no NSEC proves that {qname} does not exist, as the wildcard expansion requires{OutOfZone(nsecs, zone)}");
        if (!ClosestEncloser(cover, qname, zone).Equals(closestEncloser))
            return new DenialOutcome(DenialVerdict.Missing, $"the NSEC covering {qname} does not show {closestEncloser} as its closest encloser");
        return new DenialOutcome(DenialVerdict.NameError, $"an NSEC covers {qname}");
    }

    /// <summary>Classifies a name for the zone-cut walk from a DS NODATA or NXDOMAIN response (RFC 4035 section 5.2, RFC 6840 section 4.4).</summary>
    public static DenialOutcome ProveDsAbsence(DnsName name, DnsName zone, IReadOnlyList<NsecRecord> nsecs)
    {
        var match = nsecs.FirstOrDefault(n => n.Owner.Equals(name));
        if (match is not null)
        {
            if (match.HasType(DnsRecordType.DS)) return new DenialOutcome(DenialVerdict.Missing, $"the NSEC at {name} lists DS, yet no DS was returned");
            if (match.HasType(DnsRecordType.SOA)) return new DenialOutcome(DenialVerdict.Missing, $"the NSEC at {name} is the child zone's apex NSEC, not the parent's");
            if (match.HasType(DnsRecordType.CNAME)) return new DenialOutcome(DenialVerdict.NotACut, $"{name} is an alias, not a delegation");
            if (match.HasType(DnsRecordType.NS)) return new DenialOutcome(DenialVerdict.InsecureDelegation, $"the NSEC at {name} has NS and neither DS nor SOA: an unsigned delegation");
            return new DenialOutcome(DenialVerdict.NotACut, $"the NSEC at {name} has no NS: not a zone cut");
        }
        var cover = nsecs.FirstOrDefault(n => Covers(n, name, zone));
        if (cover is null) return new DenialOutcome(DenialVerdict.Missing, $"no NSEC matches or covers {name}{OutOfZone(nsecs, zone)}");
        if (cover.NextDomainName.IsSubdomainOf(name) && !cover.NextDomainName.Equals(name))
            return new DenialOutcome(DenialVerdict.NotACut, $"{name} is an empty non-terminal");
        return new DenialOutcome(DenialVerdict.NameError, $"an NSEC covers {name}: it does not exist");
    }

    // Names the first NSEC whose span leaves its zone, for the reason an admin reads (RFC 4035 section 5.4).
    private static string OutOfZone(IReadOnlyList<NsecRecord> nsecs, DnsName zone)
    {
        var bad = nsecs.FirstOrDefault(n => !n.NextDomainName.IsSubdomainOf(zone) || (n.NextDomainName.CompareTo(n.Owner) <= 0 && !n.NextDomainName.Equals(zone)));
        if (bad is null) return string.Empty;
        return bad.NextDomainName.IsSubdomainOf(zone)
            ? $" (the NSEC at {bad.Owner} wraps around to {bad.NextDomainName}, not to the apex {zone}, so it covers nothing: RFC 4034 section 4.1.1)"
            : $" (the NSEC at {bad.Owner} points to {bad.NextDomainName}, outside the zone {zone}, so it covers nothing: RFC 4035 section 5.4)";
    }

    private static int CommonLabels(DnsName a, DnsName b)
    {
        int n = 0;
        while (n < a.LabelCount && n < b.LabelCount && DnsName.LabelEquals(a.LabelAt(a.LabelCount - 1 - n), b.LabelAt(b.LabelCount - 1 - n))) n++;
        return n;
    }
}
