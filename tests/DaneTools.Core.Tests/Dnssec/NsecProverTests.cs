using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Tests.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class NsecProverTests
{
    private static readonly DnsName Zone = DnsName.Parse("example.com.");

    private static NsecRecord Nsec(string line) => NsecRecord.From(ResourceRecord.Parse(line));

    private static NsecRecord Rfc4034Example()
    {
        var c = ConformanceData.RfcVectors("rfc4034.json").GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("id").GetString() == "rfc4034-4.3-nsec-type-bitmap");
        return NsecRecord.From(ResourceRecord.Parse(ConformanceData.Line(c.GetProperty("records")[0])));
    }

    [Fact]
    public void Covers_Rfc4034Section43Example_ProvesBetaAbsent()
    {
        // rfc4034.json "proves_nonexistence_of": "beta.example.com (any type)".
        var nsec = Rfc4034Example();
        Assert.True(NsecProver.Covers(nsec, DnsName.Parse("beta.example.com."), Zone));
        Assert.False(NsecProver.Covers(nsec, DnsName.Parse("alfa.example.com."), Zone));
        Assert.False(NsecProver.Covers(nsec, DnsName.Parse("host.example.com."), Zone));
        Assert.False(NsecProver.Covers(nsec, DnsName.Parse("zulu.example.com."), Zone));
    }

    [Fact]
    public void ProveNoData_Rfc4034Section43Example_ProvesAlfaAaaaAbsent()
    {
        // rfc4034.json "proves_nonexistence_of": "alfa.example.com AAAA"; A and MX are listed, so not those.
        var nsecs = new[] { Rfc4034Example() };
        Assert.Equal(DenialVerdict.NoData, NsecProver.ProveNoData(DnsName.Parse("alfa.example.com."), DnsRecordType.AAAA, Zone, nsecs).Verdict);
        Assert.Equal(DenialVerdict.Missing, NsecProver.ProveNoData(DnsName.Parse("alfa.example.com."), DnsRecordType.MX, Zone, nsecs).Verdict);
    }

    [Fact]
    public void Covers_LastNsecWrapsToApex_CoversNamesAfterOwner()
    {
        var last = Nsec("zz.example.com. 300 IN NSEC example.com. A RRSIG NSEC");
        Assert.True(NsecProver.Covers(last, DnsName.Parse("zzz.example.com."), Zone));
        Assert.True(NsecProver.Covers(last, DnsName.Parse("a.zz.example.com."), Zone));
        Assert.False(NsecProver.Covers(last, DnsName.Parse("b.example.com."), Zone));
        Assert.False(NsecProver.Covers(last, DnsName.Parse("x.example.org."), Zone));
    }

    [Theory]
    [InlineData("sub.example.com. 300 IN NSEC zz.example.com. NS RRSIG NSEC")]
    [InlineData("sub.example.com. 300 IN NSEC zz.example.com. DNAME RRSIG NSEC")]
    public void Covers_NamesBelowDelegationOrDname_NotCovered(string line)
    {
        // RFC 6840 4.1: such an NSEC says nothing about names below its owner.
        Assert.False(NsecProver.Covers(Nsec(line), DnsName.Parse("a.sub.example.com."), Zone));
        Assert.True(NsecProver.Covers(Nsec(line), DnsName.Parse("sub2.example.com."), Zone));
    }

    [Fact]
    public void ProveNameError_CoverAndWildcardCover_NameError()
    {
        var nsecs = new[]
        {
            Nsec("example.com. 300 IN NSEC a.example.com. SOA NS RRSIG NSEC DNSKEY"),
            Nsec("a.example.com. 300 IN NSEC c.example.com. A RRSIG NSEC"),
        };
        Assert.Equal(DenialVerdict.NameError, NsecProver.ProveNameError(DnsName.Parse("b.example.com."), Zone, nsecs).Verdict);
        // Without the apex NSEC, nothing covers *.example.com.
        Assert.Equal(DenialVerdict.Missing, NsecProver.ProveNameError(DnsName.Parse("b.example.com."), Zone, nsecs.Skip(1).ToList()).Verdict);
    }

    [Fact]
    public void ProveNameError_WildcardExists_Missing()
    {
        var nsecs = new[]
        {
            Nsec("*.example.com. 300 IN NSEC a.example.com. TXT RRSIG NSEC"),
            Nsec("a.example.com. 300 IN NSEC c.example.com. A RRSIG NSEC"),
        };
        Assert.Equal(DenialVerdict.Missing, NsecProver.ProveNameError(DnsName.Parse("b.example.com."), Zone, nsecs).Verdict);
    }

    [Fact]
    public void ProveNoData_EmptyNonTerminal_NoData()
    {
        var nsecs = new[] { Nsec("a.example.com. 300 IN NSEC x.ent.example.com. A RRSIG NSEC") };
        Assert.Equal(DenialVerdict.NoData, NsecProver.ProveNoData(DnsName.Parse("ent.example.com."), DnsRecordType.A, Zone, nsecs).Verdict);
        Assert.Equal(DenialVerdict.Missing, NsecProver.ProveNameError(DnsName.Parse("ent.example.com."), Zone, nsecs).Verdict);
    }

    [Fact]
    public void ProveNoData_WildcardWithoutType_NoData()
    {
        var nsecs = new[]
        {
            Nsec("*.example.com. 300 IN NSEC a.example.com. TXT RRSIG NSEC"),
            Nsec("a.example.com. 300 IN NSEC c.example.com. A RRSIG NSEC"),
        };
        Assert.Equal(DenialVerdict.NoData, NsecProver.ProveNoData(DnsName.Parse("b.example.com."), DnsRecordType.A, Zone, nsecs).Verdict);
        Assert.Equal(DenialVerdict.Missing, NsecProver.ProveNoData(DnsName.Parse("b.example.com."), DnsRecordType.TXT, Zone, nsecs).Verdict);
    }

    [Theory]
    [InlineData("sub.example.com. 300 IN NSEC zz.example.com. NS RRSIG NSEC", "InsecureDelegation")]
    [InlineData("sub.example.com. 300 IN NSEC zz.example.com. A RRSIG NSEC", "NotACut")]
    [InlineData("sub.example.com. 300 IN NSEC zz.example.com. NS SOA RRSIG NSEC", "Missing")]
    [InlineData("sub.example.com. 300 IN NSEC zz.example.com. NS DS RRSIG NSEC", "Missing")]
    [InlineData("a.example.com. 300 IN NSEC zz.example.com. A RRSIG NSEC", "NameError")]
    [InlineData("a.example.com. 300 IN NSEC x.sub.example.com. A RRSIG NSEC", "NotACut")]
    public void ProveDsAbsence_Rfc6840Section44_Classified(string line, string expected)
    {
        Assert.Equal(expected, NsecProver.ProveDsAbsence(DnsName.Parse("sub.example.com."), Zone, new[] { Nsec(line) }).Verdict.ToString());
    }

    [Fact]
    public void ProveWildcardAnswer_ClosestEncloserMustMatchLabels()
    {
        var nsecs = new[] { Nsec("*.w.example.com. 300 IN NSEC x.w.example.com. A RRSIG NSEC") };
        Assert.Equal(DenialVerdict.NameError, NsecProver.ProveWildcardAnswer(DnsName.Parse("host.w.example.com."), DnsName.Parse("w.example.com."), Zone, nsecs).Verdict);
        Assert.Equal(DenialVerdict.Missing, NsecProver.ProveWildcardAnswer(DnsName.Parse("host.w.example.com."), Zone, Zone, nsecs).Verdict);
        Assert.Equal(DenialVerdict.Missing, NsecProver.ProveWildcardAnswer(DnsName.Parse("y.w.example.com."), DnsName.Parse("w.example.com."), Zone, nsecs).Verdict);
    }

    [Fact]
    public void AtSignedOwner_Rfc4035Section532_ExpandedNsecTakenAtItsWildcardOwner()
    {
        // RFC 4035 5.3.2: RRSIG Labels 2 on a 5-label owner means the NSEC was expanded from *.example.com.
        // (val_nodata_failwc: the NSEC shown at the TLSA name really is the wildcard's NSEC.)
        var shown = Nsec("_25._tcp.mail.example.com. 300 IN NSEC delegation.example.com. TXT RRSIG NSEC");
        var real = NsecProver.AtSignedOwner(shown, 2);
        Assert.Equal("*.example.com.", real.Owner.ToString());
        Assert.Equal("delegation.example.com.", real.NextDomainName.ToString());
        Assert.Same(shown, NsecProver.AtSignedOwner(shown, 5));
        // A literal wildcard owner signed with Labels = owner labels - 1 is no expansion.
        var wild = Nsec("*.example.com. 300 IN NSEC a.example.com. TXT RRSIG NSEC");
        Assert.Same(wild, NsecProver.AtSignedOwner(wild, 2));
        // At its real owner the NSEC does not deny TLSA at the name it was shown at (CVE-2017-15105).
        var qname = DnsName.Parse("_25._tcp.mail.example.com.");
        Assert.Equal(DenialVerdict.NoData, NsecProver.ProveNoData(qname, DnsRecordType.TLSA, Zone, new[] { shown }).Verdict);
        Assert.Equal(DenialVerdict.Missing, NsecProver.ProveNoData(qname, DnsRecordType.TLSA, Zone, new[] { real }).Verdict);
    }

    [Theory]
    [InlineData("zz.example.com. 300 IN NSEC a.example.com. A RRSIG NSEC")] // wraps, but not to the apex
    [InlineData("zz.example.com. 300 IN NSEC example.org. A RRSIG NSEC")] // next name outside the zone, "after" it
    [InlineData("zz.example.com. 300 IN NSEC zzz.example.com.evil. A RRSIG NSEC")] // next name outside the zone
    [InlineData("example.com. 300 IN NSEC example.net. SOA NS RRSIG NSEC DNSKEY")] // apex NSEC pointing out of the zone
    public void Covers_NextNameNotInZoneOrWrapNotToApex_CoversNothing(string line)
    {
        // RFC 4034 4.1.1: the last NSEC's next name is the apex; RFC 4035 5.4: an NSEC proves non-existence only within its zone.
        var nsec = Nsec(line);
        foreach (var name in new[] { "zzzz.example.com.", "a.zz.example.com.", "b.example.com.", "www.example.com." })
            Assert.False(NsecProver.Covers(nsec, DnsName.Parse(name), Zone), name);
    }

    [Fact]
    public void ProveNameError_NsecWithNextNameOutsideZone_Missing()
    {
        // RFC 4035 5.4: the apex NSEC pointing to example.net. would otherwise cover every name of example.com. and its wildcard.
        var nsecs = new[] { Nsec("example.com. 300 IN NSEC example.net. SOA NS RRSIG NSEC DNSKEY") };
        Assert.Equal(DenialVerdict.Missing, NsecProver.ProveNameError(DnsName.Parse("www.example.com."), Zone, nsecs).Verdict);
        // The only NSEC of a zone points to itself (the apex) and covers every other name.
        var only = new[] { Nsec("example.com. 300 IN NSEC example.com. SOA NS RRSIG NSEC DNSKEY") };
        Assert.Equal(DenialVerdict.NameError, NsecProver.ProveNameError(DnsName.Parse("www.example.com."), Zone, only).Verdict);
    }

    [Fact]
    public void ProveNoData_WildcardNsecFromParentSideOfACut_Missing()
    {
        // RFC 4035 5.4 and RFC 6840 4.1 (as Unbound's nsec_proves_nodata: "wrong parentside (wildcard) NSEC used"): a
        // wildcard NSEC with NS and without SOA belongs to a delegation, so it proves no wildcard NODATA.
        var nsecs = new[]
        {
            Nsec("*.example.com. 300 IN NSEC a.example.com. NS RRSIG NSEC"),
            Nsec("a.example.com. 300 IN NSEC c.example.com. A RRSIG NSEC"),
        };
        var outcome = NsecProver.ProveNoData(DnsName.Parse("b.example.com."), DnsRecordType.TLSA, Zone, nsecs);
        Assert.Equal(DenialVerdict.Missing, outcome.Verdict);
        Assert.Contains("parent side", outcome.Message);
    }
}
