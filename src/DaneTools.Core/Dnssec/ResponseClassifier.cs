using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>What kind of answer a response is, as Unbound's validator classifies it (val_utils.c) before choosing a prover.</summary>
/// <remarks>A wildcard expansion is a positive answer (or alias) whose verified RRSIG has fewer labels than its owner: it can
/// only be told once the signature is checked, so the positive prover hands it to the wildcard proof.</remarks>
internal enum ResponseClass
{
    /// <summary>The answer section holds the RRset asked for.</summary>
    Positive,

    /// <summary>The answer is a CNAME at the query name, to be validated and followed.</summary>
    Cname,

    /// <summary>The answer comes through a DNAME above the query name (followed, or checked against its synthesised CNAME or YXDOMAIN).</summary>
    Dname,

    /// <summary>No answer RRset: a referral, NXDOMAIN or NODATA, told apart by <see cref="ResponseClassifier.ClassifyNegative"/> once the zone is known.</summary>
    Negative,

    /// <summary>An authoritative server's delegation below the zone (NS, no SOA): the delegation must be proven unsigned.</summary>
    Referral,

    /// <summary>The name does not exist: NSEC/NSEC3 name error proof.</summary>
    NxDomain,

    /// <summary>The name exists without the type: NSEC/NSEC3 no-data proof.</summary>
    NoData,
}

/// <summary>One response as classified: its class and the RRsets each prover needs.</summary>
internal sealed class ClassifiedResponse
{
    public ClassifiedResponse(ResponseClass cls, List<ResourceRecord> relevant, ResourceRecord? cname, ResourceRecord? dname,
        List<ResourceRecord>? synthesized, bool yxDomain, List<RrsigRecord> answerSignatures)
    {
        Class = cls;
        Relevant = relevant;
        Cname = cname;
        Dname = dname;
        Synthesized = synthesized;
        YxDomain = yxDomain;
        AnswerSignatures = answerSignatures;
    }

    public ResponseClass Class { get; }

    /// <summary>The RRset to validate: the answer, else the DNAME or CNAME RRset; empty for a negative answer.</summary>
    public List<ResourceRecord> Relevant { get; }

    /// <summary>The CNAME at the query name, or null.</summary>
    public ResourceRecord? Cname { get; }

    /// <summary>The closest DNAME above the query name, or null.</summary>
    public ResourceRecord? Dname { get; }

    /// <summary>A CNAME question's unsigned CNAME synthesised from a DNAME (RFC 6672 section 5.3.1), or null.</summary>
    public List<ResourceRecord>? Synthesized { get; }

    /// <summary>The response is YXDOMAIN (a DNAME substitution too long, RFC 6672 section 2.2).</summary>
    public bool YxDomain { get; }

    /// <summary>Whether the alias is followed to its target (not for a synthesised CNAME or a YXDOMAIN).</summary>
    public bool Follow => Class is not ResponseClass.Positive && Synthesized is null && !YxDomain;

    public List<RrsigRecord> AnswerSignatures { get; }
}

/// <summary>Classifies a response to one question (RFC 4035 section 5, RFC 6672) for <see cref="ChainValidator"/>.</summary>
internal static class ResponseClassifier
{
    /// <summary>Classifies the answer section: positive, CNAME, DNAME, or negative (no answer RRset).</summary>
    public static ClassifiedResponse Classify(DnsResponse resp, DnsName qname, DnsRecordType qtype)
    {
        var answerSigs = Sigs(resp.Answer);
        var positive = RrsetOf(resp.Answer, qname, qtype);
        ResourceRecord? cname = qtype == DnsRecordType.CNAME ? null : resp.Answer.FirstOrDefault(r => r.Type == DnsRecordType.CNAME && r.Owner.Equals(qname));
        ResourceRecord? dname = qtype == DnsRecordType.DNAME ? null : resp.Answer
            .Where(r => r.Type == DnsRecordType.DNAME && qname.IsSubdomainOf(r.Owner) && !qname.Equals(r.Owner))
            .OrderByDescending(r => r.Owner.LabelCount).FirstOrDefault();

        // A CNAME question answered through a DNAME: the synthesised CNAME is unsigned (RFC 6672 section 5.3.1), so the
        // DNAME is what is validated, and the CNAME must be its substitution.
        List<ResourceRecord>? synthesized = null;
        if (qtype == DnsRecordType.CNAME && dname is not null && positive.Count > 0
            && !answerSigs.Any(s => s.Owner.Equals(qname) && s.TypeCovered == DnsRecordType.CNAME))
        {
            synthesized = positive;
            positive = new List<ResourceRecord>();
        }
        // YXDOMAIN: the DNAME's substitution is too long (RFC 6672 section 2.2); only the DNAME is there to validate.
        bool yxdomain = resp.Rcode == DnsResponseCode.YXDomain;
        if (yxdomain)
        {
            positive = new List<ResourceRecord>();
            cname = null;
        }

        List<ResourceRecord> relevant = positive.Count > 0 ? positive
            : dname is not null ? RrsetOf(resp.Answer, dname.Owner, DnsRecordType.DNAME)
            : cname is not null ? RrsetOf(resp.Answer, qname, DnsRecordType.CNAME)
            : new List<ResourceRecord>();
        var cls = relevant.Count == 0 ? ResponseClass.Negative
            : positive.Count > 0 ? ResponseClass.Positive
            : dname is not null ? ResponseClass.Dname
            : ResponseClass.Cname;
        return new ClassifiedResponse(cls, relevant, cname, dname, synthesized, yxdomain, answerSigs);
    }

    /// <summary>
    /// The zone whose keys validate the response: the signer of the relevant RRset, or of the denial records, else the
    /// name itself; for DS, the parent side of the cut.
    /// </summary>
    public static DnsName KeyTarget(DnsResponse resp, ClassifiedResponse c, DnsName qname, DnsRecordType qtype)
    {
        DnsName? signer;
        if (c.Relevant.Count > 0)
        {
            var first = c.Relevant[0];
            signer = c.AnswerSignatures.Where(s => s.Owner.Equals(first.Owner) && s.TypeCovered == first.Type && first.Owner.IsSubdomainOf(s.SignerName))
                .Select(s => s.SignerName).OrderByDescending(n => n.LabelCount).FirstOrDefault();
        }
        else
        {
            signer = Sigs(resp.Authority).Where(s => qname.IsSubdomainOf(s.SignerName) && s.TypeCovered is DnsRecordType.SOA or DnsRecordType.NSEC or DnsRecordType.NSEC3 or DnsRecordType.DS)
                .Select(s => s.SignerName).OrderByDescending(n => n.LabelCount).FirstOrDefault();
        }
        var target = signer is not null && qname.IsSubdomainOf(signer) ? signer : qname;
        if (qtype == DnsRecordType.DS && target.Equals(qname) && !qname.IsRoot) target = qname.Parent; // DS lives on the parent side of the cut
        return target;
    }

    /// <summary>
    /// Tells a negative response apart once the zone is known: a referral (an NS set below the zone, no SOA, not NXDOMAIN),
    /// else NXDOMAIN or NODATA by the response code.
    /// </summary>
    public static ResponseClass ClassifyNegative(DnsResponse resp, DnsName qname, DnsName zone, out DnsName? cut)
    {
        bool nxdomain = resp.Rcode == DnsResponseCode.NXDomain;
        cut = nxdomain || resp.Authority.Any(r => r.Type == DnsRecordType.SOA) ? null : resp.Authority
            .Where(r => r.Type == DnsRecordType.NS && qname.IsSubdomainOf(r.Owner) && r.Owner.IsSubdomainOf(zone) && !r.Owner.Equals(zone))
            .Select(r => r.Owner).OrderByDescending(n => n.LabelCount).FirstOrDefault();
        return cut is not null ? ResponseClass.Referral : nxdomain ? ResponseClass.NxDomain : ResponseClass.NoData;
    }

    internal static List<ResourceRecord> RrsetOf(IEnumerable<ResourceRecord> section, DnsName owner, DnsRecordType type) =>
        section.Where(r => r.Type == type && r.Owner.Equals(owner) && r.Class == ResourceRecord.ClassInternet).ToList();

    internal static List<RrsigRecord> Sigs(IEnumerable<ResourceRecord> section) =>
        section.Where(r => r.Type == DnsRecordType.RRSIG).Select(r => RrsigRecord.TryFrom(r, out var s) ? s : null).Where(s => s is not null).Select(s => s!).ToList();
}
