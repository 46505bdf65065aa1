using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// Proves denial of existence from validated NSEC3 records (RFC 5155 section 8, RFC 6840 sections 4.1 and 4.4).
/// </summary>
/// <remarks>
/// <para>Only NSEC3 records with hash algorithm 1, flags 0 or 1, and an owner one label below the zone take part
/// (RFC 5155 section 8.1-8.2). When every NSEC3 has an unknown hash algorithm the answer is Insecure. Records of more
/// than one parameter set (hash algorithm, iterations, salt) make every proof Bogus (sections 7.2 and 8.2); the
/// opt-out flag is always read from the NSEC3 that covers the next closer name.</para>
/// <para>Hashes are cached per response by (name, salt, iterations); at most the budgeted number of distinct hashes
/// are computed for one response (CVE-2023-50868), after which the proof fails with WorkLimitExceeded.</para>
/// <para>Iterations above the policy limit make the proof Insecure (RFC 9276 section 3.2, EDE 27); the caller has
/// already verified the NSEC3 RRSIGs.</para>
/// </remarks>
internal sealed class Nsec3Prover
{
    private readonly DnsName _zone;
    private readonly List<Nsec3Record> _records;
    private readonly int _maxHashes;
    private readonly Dictionary<string, byte[]> _hashes = new(StringComparer.Ordinal);
    private readonly bool _allUnknownHash;
    private readonly List<string> _parameterSets;

    private readonly int _maxIterations;

    public Nsec3Prover(DnsName zone, IEnumerable<Nsec3Record> records, int maxHashes, int maxIterations)
    {
        _maxIterations = maxIterations;
        _zone = zone;
        var all = records.ToList();
        // Parameter sets among the records a proof could use (flags 0 or 1, owner one hash label below the apex).
        _parameterSets = all.Where(r => (r.Flags & ~Nsec3Record.OptOutFlag) == 0 && r.Owner.LabelCount == zone.LabelCount + 1 && r.Owner.IsSubdomainOf(zone))
            .Select(r => $"hash {r.HashAlgorithm}, {r.Iterations} iterations, salt {(r.SaltHex.Length == 0 ? "-" : r.SaltHex)}").Distinct().ToList();
        _records = all.Where(r => r.HashAlgorithm == Nsec3Hash.Sha1 && (r.Flags & ~Nsec3Record.OptOutFlag) == 0
            && r.Owner.LabelCount == zone.LabelCount + 1 && r.Owner.IsSubdomainOf(zone) && r.OwnerHash is not null).ToList();
        _allUnknownHash = all.Count > 0 && all.All(r => r.HashAlgorithm != Nsec3Hash.Sha1);
        _maxHashes = maxHashes;
    }

    /// <summary>Gets the number of distinct hashes computed.</summary>
    public int HashCount => _hashes.Count;

    public IReadOnlyList<Nsec3Record> Records => _records;

    public DenialOutcome ProveNameError(DnsName qname)
    {
        if (Precheck() is DenialOutcome early) return early;
        var ce = FindClosestEncloser(qname, out var problem);
        if (ce is null) return problem!;
        if (ce.Value.Encloser.Equals(qname)) return new DenialOutcome(DenialVerdict.Missing, $"an NSEC3 matches {qname}, so it exists");
        var wildcard = ce.Value.Encloser.Prepend(new[] { (byte)'*' });
        var wc = Cover(wildcard, out var failure);
        if (failure is not null) return failure;
        if (wc is null) return new DenialOutcome(DenialVerdict.Missing, $"no NSEC3 covers the wildcard {wildcard}");
        if (ce.Value.NextCloserCover!.OptOut)
            return new DenialOutcome(DenialVerdict.InsecureDelegation, $"the NSEC3 covering the next closer name {ce.Value.NextCloser} has opt-out: an unsigned delegation may exist");
        return new DenialOutcome(DenialVerdict.NameError, $"closest encloser {ce.Value.Encloser}; NSEC3 records cover {ce.Value.NextCloser} and {wildcard} (RFC 5155 section 8.4)");
    }

    public DenialOutcome ProveNoData(DnsName qname, DnsRecordType qtype)
    {
        if (Precheck() is DenialOutcome early) return early;
        var match = Match(qname, out var failure);
        if (failure is not null) return failure;
        string t = DnsRecordTypeText.ToText(qtype);
        if (match is not null)
        {
            if (match.HasType(qtype) || match.HasType(DnsRecordType.CNAME))
                return new DenialOutcome(DenialVerdict.Missing, $"the NSEC3 matching {qname} lists {t} or CNAME");
            if (qtype == DnsRecordType.DS && match.HasType(DnsRecordType.SOA))
                return new DenialOutcome(DenialVerdict.Missing, $"the NSEC3 matching {qname} is from the child zone's apex, not the parent (RFC 5155 section 8.6)");
            if (qtype != DnsRecordType.DS && match.HasType(DnsRecordType.NS) && !match.HasType(DnsRecordType.SOA))
                return new DenialOutcome(DenialVerdict.Missing, $"the NSEC3 matching {qname} is from the parent side of a delegation");
            return new DenialOutcome(DenialVerdict.NoData, $"the NSEC3 matching {qname} lists neither {t} nor CNAME (RFC 5155 section 8.5)");
        }
        var ce = FindClosestEncloser(qname, out var problem);
        if (ce is null) return problem!;
        var wildcard = ce.Value.Encloser.Prepend(new[] { (byte)'*' });
        var wm = Match(wildcard, out failure);
        if (failure is not null) return failure;
        if (wm is not null)
        {
            if (wm.HasType(qtype) || wm.HasType(DnsRecordType.CNAME))
                return new DenialOutcome(DenialVerdict.Missing, $"the wildcard {wildcard} lists {t} or CNAME");
            if (wm.HasType(DnsRecordType.NS) && !wm.HasType(DnsRecordType.SOA))
                return new DenialOutcome(DenialVerdict.Missing, $"the NSEC3 matching the wildcard {wildcard} is from the parent side of a delegation, so it proves no wildcard NODATA for {qname}");
            // The closest encloser proof's next closer span has opt-out: an unsigned delegation may hide there (RFC 5155 section 9.2).
            if (ce.Value.NextCloserCover!.OptOut)
                return new DenialOutcome(DenialVerdict.InsecureDelegation, $"the NSEC3 covering the next closer name {ce.Value.NextCloser} has opt-out, so the wildcard NODATA for {qname} cannot be Secure: an unsigned delegation may exist there (RFC 5155 section 9.2)");
            return new DenialOutcome(DenialVerdict.NoData, $"closest encloser {ce.Value.Encloser}; the wildcard {wildcard} has no {t} (RFC 5155 section 8.7)");
        }
        // No matching NSEC3: the name may lie in an opt-out span (an empty non-terminal left out of the chain, or below
        // an unsigned delegation): Insecure when the NSEC3 covering the next closer name has opt-out, for any type (RFC
        // 5155 section 8.6 for DS; section 8.5 as corrected by erratum 3441 for the others; section 9.2: never Secure).
        // Authoritative data has its own NSEC3 outside opt-out, so this cannot deny an existing signed RRset.
        if (ce.Value.NextCloserCover!.OptOut)
        {
            return new DenialOutcome(DenialVerdict.InsecureDelegation,
                $"the NSEC3 covering {ce.Value.NextCloser} has opt-out: {qname} may lie in an unsigned part of the zone (RFC 5155 section 8.5, erratum 3441{(qtype == DnsRecordType.DS ? "; section 8.6" : string.Empty)})");
        }
        return new DenialOutcome(DenialVerdict.Missing, $"no NSEC3 matches {qname} or the wildcard {wildcard}");
    }

    /// <summary>
    /// Proves that a wildcard expansion was legitimate: an NSEC3 covers the next closer name (RFC 5155 section 8.8);
    /// when that NSEC3 has opt-out the answer is Insecure, never Secure (RFC 5155 section 9.2).
    /// </summary>
    public DenialOutcome ProveWildcardAnswer(DnsName qname, DnsName closestEncloser)
    {
        if (Precheck() is DenialOutcome early) return early;
        var nextCloser = qname.GetAncestor(closestEncloser.LabelCount + 1);
        var cover = Cover(nextCloser, out var failure);
        if (failure is not null) return failure;
        if (cover is null) return new DenialOutcome(DenialVerdict.Missing, $"no NSEC3 covers the next closer name {nextCloser}, as the wildcard expansion requires");
        if (cover.OptOut)
            return new DenialOutcome(DenialVerdict.InsecureDelegation, $"the NSEC3 covering the next closer name {nextCloser} has opt-out, so the wildcard answer for {qname} cannot be Secure: an unsigned delegation may exist there (RFC 5155 section 9.2)");
        return new DenialOutcome(DenialVerdict.NameError, $"an NSEC3 covers the next closer name {nextCloser} (RFC 5155 section 8.8)");
    }

    /// <summary>Classifies a name for the zone-cut walk from a DS NODATA or NXDOMAIN response (RFC 5155 sections 8.6 and 8.9, RFC 6840 section 4.4).</summary>
    public DenialOutcome ProveDsAbsence(DnsName name)
    {
        if (Precheck() is DenialOutcome early) return early;
        var match = Match(name, out var failure);
        if (failure is not null) return failure;
        if (match is not null)
        {
            if (match.HasType(DnsRecordType.DS)) return new DenialOutcome(DenialVerdict.Missing, $"the NSEC3 matching {name} lists DS, yet no DS was returned");
            if (match.HasType(DnsRecordType.SOA)) return new DenialOutcome(DenialVerdict.Missing, $"the NSEC3 matching {name} is from the child zone's apex, not the parent");
            if (match.HasType(DnsRecordType.NS)) return new DenialOutcome(DenialVerdict.InsecureDelegation, $"the NSEC3 matching {name} has NS and neither DS nor SOA: an unsigned delegation");
            return new DenialOutcome(DenialVerdict.NotACut, $"the NSEC3 matching {name} has no NS: not a zone cut");
        }
        var ce = FindClosestEncloser(name, out var problem);
        if (ce is null) return problem!;
        if (ce.Value.NextCloserCover!.OptOut)
            return new DenialOutcome(DenialVerdict.InsecureDelegation, $"the NSEC3 covering {ce.Value.NextCloser} has opt-out: {name} may be an unsigned delegation (RFC 5155 section 8.9)");
        return new DenialOutcome(DenialVerdict.NameError, $"closest encloser {ce.Value.Encloser}; {ce.Value.NextCloser} does not exist");
    }

    /// <summary>Returns the NSEC3 whose owner hash equals H(name), or null (for tests and diagnostics).</summary>
    internal Nsec3Record? MatchRecord(DnsName name) => Match(name, out _);

    /// <summary>Returns the NSEC3 whose span covers H(name), or null (for tests and diagnostics).</summary>
    internal Nsec3Record? CoverRecord(DnsName name) => Cover(name, out _);

    private DenialOutcome? Precheck()
    {
        // One parameter set per response (RFC 5155 section 7.2); a mix is Bogus (8.2), checked before the
        // unknown-hash and iteration rules so that a stray record cannot turn a failed proof into Insecure.
        if (_parameterSets.Count > 1)
        {
            return new DenialOutcome(DenialVerdict.Missing,
                $"the NSEC3 records mix parameter sets ({string.Join("; ", _parameterSets)}), which one zone never sends in one response (RFC 5155 sections 7.2 and 8.2)",
                ReasonCodes.Nsec3ParametersMixed);
        }
        if (_records.Count == 0)
        {
            return _allUnknownHash
                ? new DenialOutcome(DenialVerdict.Unsupported, "every NSEC3 record uses an unknown hash algorithm (RFC 5155 section 8.1)")
                : new DenialOutcome(DenialVerdict.Missing, "no usable NSEC3 record");
        }
        var high = _records.FirstOrDefault(r => r.Iterations > _maxIterations);
        if (high is not null)
        {
            return new DenialOutcome(DenialVerdict.Unsupported,
                $"the NSEC3 records use {high.Iterations} iterations, above the limit of {_maxIterations} (RFC 9276 section 3.2)", ReasonCodes.Nsec3IterationsTooHigh);
        }
        return null;
    }

    private (DnsName Encloser, DnsName NextCloser, Nsec3Record? NextCloserCover)? FindClosestEncloser(DnsName qname, out DenialOutcome? problem)
    {
        problem = null;
        if (!qname.IsSubdomainOf(_zone)) { problem = new DenialOutcome(DenialVerdict.Missing, $"{qname} is not in {_zone}"); return null; }
        for (int labels = qname.LabelCount; labels >= _zone.LabelCount; labels--)
        {
            var sname = qname.GetAncestor(labels);
            var m = Match(sname, out var failure);
            if (failure is not null) { problem = failure; return null; }
            if (m is null) continue;
            if (!m.HasType(DnsRecordType.DNAME) && m.HasType(DnsRecordType.NS) && !m.HasType(DnsRecordType.SOA) && !m.HasType(DnsRecordType.DS) && labels < qname.LabelCount)
            {
                // The name lies below an unsigned delegation: nothing about it can be proven, as Unbound decides.
                problem = new DenialOutcome(DenialVerdict.InsecureDelegation, $"{sname} is an unsigned delegation (its NSEC3 has NS and neither DS nor SOA), so {qname} lies in an unsigned zone");
                return null;
            }
            if (m.HasType(DnsRecordType.DNAME) || (m.HasType(DnsRecordType.NS) && !m.HasType(DnsRecordType.SOA)))
            {
                problem = new DenialOutcome(DenialVerdict.Missing, $"the closest encloser {sname} is a delegation or DNAME, so its NSEC3 proves nothing below it (RFC 5155 section 8.3)");
                return null;
            }
            if (labels == qname.LabelCount) return (sname, sname, null);
            var nextCloser = qname.GetAncestor(labels + 1);
            var cover = Cover(nextCloser, out failure);
            if (failure is not null) { problem = failure; return null; }
            if (cover is null) { problem = new DenialOutcome(DenialVerdict.Missing, $"no NSEC3 covers the next closer name {nextCloser}"); return null; }
            return (sname, nextCloser, cover);
        }
        problem = new DenialOutcome(DenialVerdict.Missing, $"no NSEC3 matches an ancestor of {qname} (no closest encloser proof)");
        return null;
    }

    private Nsec3Record? Match(DnsName name, out DenialOutcome? failure)
    {
        failure = null;
        foreach (var r in _records)
        {
            var h = Hash(name, r);
            if (h is null) { failure = Budget(); return null; }
            if (h.AsSpanEquals(r.OwnerHash!)) return r;
        }
        return null;
    }

    private Nsec3Record? Cover(DnsName name, out DenialOutcome? failure)
    {
        failure = null;
        foreach (var r in _records)
        {
            var h = Hash(name, r);
            if (h is null) { failure = Budget(); return null; }
            var owner = r.OwnerHash!;
            var next = r.NextHashedOwner;
            bool covers = next.CompareOctets(owner) > 0
                ? owner.CompareOctets(h) < 0 && h.CompareOctets(next) < 0
                : owner.CompareOctets(h) < 0 || h.CompareOctets(next) < 0; // last NSEC3 wraps around
            if (covers) return r;
        }
        return null;
    }

    private DenialOutcome Budget() =>
        new(DenialVerdict.WorkLimitExceeded, $"more than {_maxHashes} NSEC3 hash computations would be needed for one response");

    private byte[]? Hash(DnsName name, Nsec3Record parameters)
    {
        var key = Hex.Encode(name.ToCanonicalWire()) + "/" + parameters.SaltHex + "/" + parameters.Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_hashes.TryGetValue(key, out var h)) return h;
        if (_hashes.Count >= _maxHashes) return null;
        h = Nsec3Hash.Compute(name, parameters.Salt, parameters.Iterations);
        _hashes[key] = h;
        return h;
    }
}
