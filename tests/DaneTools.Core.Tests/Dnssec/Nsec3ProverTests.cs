using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class Nsec3ProverTests
{
    private static List<Nsec3Record> ZoneNsec3 => Rfc5155Zone.Records.Where(r => r.Type == DnsRecordType.NSEC3).Select(Nsec3Record.From).ToList();

    private static Nsec3Prover Prover(IEnumerable<Nsec3Record>? records = null, int maxHashes = 32, int maxIterations = 150) =>
        new(DnsName.Parse("example."), records ?? ZoneNsec3, maxHashes, maxIterations);

    public static TheoryData<string, int> ProofRows()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in Rfc5155Zone.Json.GetProperty("example_responses").GetProperty("cases").EnumerateArray())
        {
            int i = 0;
            foreach (var _ in c.GetProperty("proofs").EnumerateArray()) data.Add(c.GetProperty("id").GetString()!, i++);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProofRows))]
    public void MatchAndCover_Rfc5155AppendixBProofs_SameNsec3AsTheRfc(string caseId, int proofIndex)
    {
        var c = Rfc5155Zone.Json.GetProperty("example_responses").GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("id").GetString() == caseId);
        var proof = c.GetProperty("proofs")[proofIndex];
        var name = DnsName.Parse(proof.GetProperty("name").GetString()!);
        var prover = Prover();
        var relation = proof.GetProperty("relation").GetString();
        if (relation == "matches")
        {
            var m = prover.MatchRecord(name);
            Assert.NotNull(m);
            Assert.Equal(proof.GetProperty("nsec3_owner_hash").GetString(), m!.Owner.ToString().Split('.')[0]);
        }
        else
        {
            Assert.Equal("covered_by", relation);
            Assert.Null(prover.MatchRecord(name));
            var cover = prover.CoverRecord(name);
            Assert.NotNull(cover);
            Assert.Equal(proof.GetProperty("nsec3_owner_hash").GetString(), cover!.Owner.ToString().Split('.')[0]);
            Assert.Equal(proof.GetProperty("nsec3_next_hash").GetString()!.ToUpperInvariant(), cover.NextHashedOwnerName);
        }
    }

    [Fact]
    public void ProveNameError_B1_ClosestEncloserProofButOptOutNextCloser_InsecureDelegation()
    {
        // B.1: x.w.example is the closest encloser, c.x.w.example and *.x.w.example are covered. Every NSEC3 of
        // the zone has opt-out, so the span over c.x.w.example may hide an unsigned delegation: like BIND and
        // Unbound, the NXDOMAIN is then not Secure.
        var outcome = Prover().ProveNameError(DnsName.Parse("a.c.x.w.example."));
        Assert.Equal(DenialVerdict.InsecureDelegation, outcome.Verdict);
        Assert.Contains("c.x.w.example.", outcome.Message);
    }

    [Fact]
    public void ProveNameError_B1WithoutOptOut_NameError()
    {
        var records = ZoneNsec3.Select(n => Nsec3Record.From(ClearOptOut(n.Record))).ToList();
        var outcome = Prover(records).ProveNameError(DnsName.Parse("a.c.x.w.example."));
        Assert.Equal(DenialVerdict.NameError, outcome.Verdict);
    }

    [Fact]
    public void ProveNameError_WildcardNotCovered_Missing()
    {
        var records = ZoneNsec3.Where(n => n.Owner.ToString() != "35mthgpgcu1qg68fab165klnsnk3dpvl.example.").Select(n => Nsec3Record.From(ClearOptOut(n.Record))).ToList();
        Assert.Equal(DenialVerdict.Missing, Prover(records).ProveNameError(DnsName.Parse("a.c.x.w.example.")).Verdict);
    }

    [Theory]
    [InlineData("ns1.example.", "MX")] // B.2
    [InlineData("y.w.example.", "A")] // B.2.1, empty non-terminal
    public void ProveNoData_AppendixB_NoData(string name, string type)
    {
        DnsRecordTypeText.TryParse(type, out var t);
        Assert.Equal(DenialVerdict.NoData, Prover().ProveNoData(DnsName.Parse(name), t).Verdict);
    }

    [Fact]
    public void ProveNoData_B5WildcardNoDataUnderOptOut_InsecureWithoutOptOut_NoData()
    {
        // B.5: the closest encloser proof's next closer name z.w.example is covered by an opt-out NSEC3 (every NSEC3 of
        // the Appendix A zone has opt-out), so the AD bit must not be set (RFC 5155 section 9.2); unbound's
        // val_nsec3_b5_wcnodata_nowc.rpl notes "insecure! not bogus! (due to optout)".
        var outcome = Prover().ProveNoData(DnsName.Parse("a.z.w.example."), DnsRecordType.AAAA);
        Assert.Equal(DenialVerdict.InsecureDelegation, outcome.Verdict);
        Assert.Contains("z.w.example.", outcome.Message);
        var clear = ZoneNsec3.Select(n => Nsec3Record.From(ClearOptOut(n.Record))).ToList();
        Assert.Equal(DenialVerdict.NoData, Prover(clear).ProveNoData(DnsName.Parse("a.z.w.example."), DnsRecordType.AAAA).Verdict);
    }

    [Theory]
    [InlineData("ns1.example.", "A")] // the matching NSEC3 lists A
    [InlineData("a.z.w.example.", "MX")] // the wildcard has MX
    public void ProveNoData_TypePresent_Missing(string name, string type)
    {
        DnsRecordTypeText.TryParse(type, out var t);
        Assert.Equal(DenialVerdict.Missing, Prover().ProveNoData(DnsName.Parse(name), t).Verdict);
    }

    [Fact]
    public void ProveNoData_B3NameUnderOptOutSpan_InsecureForEveryType()
    {
        // RFC 5155 8.6 for DS, and 8.5 as corrected by erratum 3441 for the other types: no matching NSEC3, and the
        // next closer name c.example. is covered by an opt-out NSEC3, so the name may lie in an unsigned delegation.
        // Unbound answers such a NODATA without AD (val_nsec3_entnodata_optout), never SERVFAIL.
        Assert.Equal(DenialVerdict.InsecureDelegation, Prover().ProveNoData(DnsName.Parse("mc.c.example."), DnsRecordType.MX).Verdict);
        Assert.Equal(DenialVerdict.InsecureDelegation, Prover().ProveNoData(DnsName.Parse("c.example."), DnsRecordType.DS).Verdict);
    }

    [Fact]
    public void ProveNoData_B6DsAtChildApex_Missing()
    {
        // B.6: the NSEC3 matching example. has the SOA bit: it is the child apex's, it must not prove a DS absent.
        var outcome = Prover().ProveNoData(DnsName.Parse("example."), DnsRecordType.DS);
        Assert.Equal(DenialVerdict.Missing, outcome.Verdict);
        Assert.Contains("apex", outcome.Message);
    }

    [Fact]
    public void ProveWildcardAnswer_B4_NextCloserCovered()
    {
        var clear = ZoneNsec3.Select(n => Nsec3Record.From(ClearOptOut(n.Record))).ToList();
        Assert.Equal(DenialVerdict.NameError, Prover(clear).ProveWildcardAnswer(DnsName.Parse("a.z.w.example."), DnsName.Parse("w.example.")).Verdict);
        Assert.Equal(DenialVerdict.Missing, Prover(clear.Where(n => !n.Owner.ToString().StartsWith("q04jkcevqvmu85r014c7dkba38o0ji5r"))).ProveWildcardAnswer(DnsName.Parse("a.z.w.example."), DnsName.Parse("w.example.")).Verdict);
    }

    [Fact]
    public void ProveWildcardAnswer_B4NextCloserCoveredByOptOut_Insecure()
    {
        // B.4 as the RFC prints it: the NSEC3 covering z.w.example has opt-out, so the wildcard answer cannot be Secure
        // (RFC 5155 section 9.2); unbound's val_nsec3_b4_wild.rpl expects NOERROR without AD.
        var outcome = Prover().ProveWildcardAnswer(DnsName.Parse("a.z.w.example."), DnsName.Parse("w.example."));
        Assert.Equal(DenialVerdict.InsecureDelegation, outcome.Verdict);
        Assert.Contains("opt-out", outcome.Message);
    }

    [Fact]
    public void ProveDsAbsence_DelegationWithDs_MissingAndOptOutSpan_Insecure()
    {
        // a.example has NS and DS: a DS question there must not be answered by a NODATA proof.
        Assert.Equal(DenialVerdict.Missing, Prover().ProveDsAbsence(DnsName.Parse("a.example.")).Verdict);
        // c.example is an unsigned delegation inside an opt-out span (B.3).
        Assert.Equal(DenialVerdict.InsecureDelegation, Prover().ProveDsAbsence(DnsName.Parse("c.example.")).Verdict);
        // ai.example exists without NS: no zone cut.
        Assert.Equal(DenialVerdict.NotACut, Prover().ProveDsAbsence(DnsName.Parse("ai.example.")).Verdict);
    }

    [Fact]
    public void Prove_IterationsAboveLimit_Unsupported()
    {
        var outcome = Prover(maxIterations: 11).ProveNoData(DnsName.Parse("ns1.example."), DnsRecordType.MX);
        Assert.Equal(DenialVerdict.Unsupported, outcome.Verdict);
        Assert.Equal(ReasonCodes.Nsec3IterationsTooHigh, outcome.Code);
        Assert.Equal(DenialVerdict.NoData, Prover(maxIterations: 12).ProveNoData(DnsName.Parse("ns1.example."), DnsRecordType.MX).Verdict);
    }

    [Fact]
    public void Prove_UnknownHashAlgorithmOnly_Unsupported()
    {
        var records = ZoneNsec3.Select(n =>
        {
            var rdata = n.Record.GetRdata();
            rdata[0] = 2;
            return Nsec3Record.From(new ResourceRecord(n.Owner, DnsRecordType.NSEC3, 1, 3600, rdata));
        });
        Assert.Equal(DenialVerdict.Unsupported, Prover(records).ProveNoData(DnsName.Parse("ns1.example."), DnsRecordType.MX).Verdict);
    }

    [Fact]
    public void Prove_HashBudget_WorkLimitExceeded()
    {
        // A 40-label name needs a hash per ancestor for the closest encloser search: more than 32.
        var deep = DnsName.Parse(string.Join(".", Enumerable.Range(0, 40).Select(i => "l" + i)) + ".example.");
        var prover = Prover();
        Assert.Equal(DenialVerdict.WorkLimitExceeded, prover.ProveNameError(deep).Verdict);
        Assert.Equal(32, prover.HashCount);
    }

    private static ResourceRecord ClearOptOut(ResourceRecord r)
    {
        var rdata = r.GetRdata();
        rdata[1] = 0;
        return new ResourceRecord(r.Owner, r.Type, r.Class, r.Ttl, rdata);
    }

    [Fact]
    public void ProveNameError_BelowUnsignedDelegation_InsecureBelowSignedDelegation_Missing()
    {
        // c.example (B.3) has no NSEC3 of its own (opt-out); a.example has NS and DS. Build the NSEC3 of an unsigned
        // delegation by clearing the DS bit of a.example's NSEC3 (35mthgpg...: NS DS RRSIG -> NS RRSIG).
        var records = ZoneNsec3.Select(n => n.Owner.ToString().StartsWith("35mthgpg")
            ? Nsec3Record.From(ResourceRecord.Parse(n.Record.ToString().Replace(" NS DS RRSIG", " NS RRSIG")))
            : n).ToList();
        Assert.Equal(DenialVerdict.InsecureDelegation, Prover(records).ProveNameError(DnsName.Parse("x.a.example.")).Verdict);
        Assert.Equal(DenialVerdict.Missing, Prover().ProveNameError(DnsName.Parse("x.a.example.")).Verdict);
    }

    [Theory]
    [InlineData("1 0 0 -")] // another iteration count and salt
    [InlineData("1 0 500 aabbccdd")] // iterations above the limit: must not make the proof Insecure
    [InlineData("2 0 12 aabbccdd")] // another hash algorithm
    public void Prove_MixedParameterSets_MissingNeverInsecure(string parameters)
    {
        // RFC 5155 7.2: one parameter set per response; 8.2: a mix may be treated as Bogus, and is.
        var stray = Nsec3Record.From(ResourceRecord.Parse($"0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 {parameters} 2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM"));
        var records = ZoneNsec3.Select(n => Nsec3Record.From(ClearOptOut(n.Record))).Append(stray).ToList();
        foreach (var outcome in new[]
        {
            Prover(records).ProveNoData(DnsName.Parse("ns1.example."), DnsRecordType.MX),
            Prover(records).ProveNameError(DnsName.Parse("a.c.x.w.example.")),
            Prover(records).ProveWildcardAnswer(DnsName.Parse("a.z.w.example."), DnsName.Parse("w.example.")),
            Prover(records).ProveDsAbsence(DnsName.Parse("c.example.")),
        })
        {
            Assert.Equal(DenialVerdict.Missing, outcome.Verdict);
            Assert.Equal(ReasonCodes.Nsec3ParametersMixed, outcome.Code);
        }
    }

    [Fact]
    public void ProveNoData_WildcardNsec3FromParentSideOfACut_Missing()
    {
        // B.5 with the NSEC3 of *.w.example (r53bq7cc...) turned into a delegation's (NS, no SOA): it proves no wildcard
        // NODATA (RFC 5155 section 8.7 with RFC 6840 section 4.1; Unbound rejects such a wildcard NSEC the same way).
        var records = ZoneNsec3.Select(n => Nsec3Record.From(ClearOptOut(n.Owner.ToString().StartsWith("r53bq7cc")
            ? ResourceRecord.Parse(n.Record.ToString().Replace(" MX RRSIG", " NS RRSIG"))
            : n.Record))).ToList();
        Assert.True(records.Single(n => n.Owner.ToString().StartsWith("r53bq7cc")).HasType(DnsRecordType.NS));
        var outcome = Prover(records).ProveNoData(DnsName.Parse("a.z.w.example."), DnsRecordType.AAAA);
        Assert.Equal(DenialVerdict.Missing, outcome.Verdict);
        Assert.Contains("parent side", outcome.Message);
    }
}
