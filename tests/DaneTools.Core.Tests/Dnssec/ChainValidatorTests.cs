using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class ChainValidatorTests
{
    // ---------------------------------------------------------------- RFC 5155 Appendix B, end to end

    [Fact]
    public async Task ValidateAsync_Rfc5155B1NameError_InsecureBecauseNextCloserIsOptOut()
    {
        var result = await Rfc5155Zone.Validator(Rfc5155Zone.Source()).ValidateAsync("a.c.x.w.example.", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Insecure, result.Status);
        Assert.Equal(ReasonCodes.InsecureDelegation, result.ReasonCode);
    }

    [Theory]
    [InlineData("ns1.example.", "MX")] // B.2
    [InlineData("y.w.example.", "A")] // B.2.1
    public async Task ValidateAsync_Rfc5155NoData_SecureNoData(string name, string type)
    {
        DnsRecordTypeText.TryParse(type, out var t);
        var result = await Rfc5155Zone.Validator(Rfc5155Zone.Source()).ValidateAsync(name, t);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal(ReasonCodes.NoData, result.ReasonCode);
        Assert.Null(result.ExtendedDnsError);
        // Algorithm 7 (RSASHA1-NSEC3-SHA1) validates with a warning; 12 iterations and a salt get one too.
        Assert.Contains(result.Warnings, w => w.Contains("RSA/SHA-1"));
        Assert.Contains(result.Warnings, w => w.Contains("12 iterations"));
    }

    [Fact]
    public async Task ValidateAsync_Rfc5155B3Referral_InsecureDelegation()
    {
        var result = await Rfc5155Zone.Validator(Rfc5155Zone.Source()).ValidateAsync("mc.c.example.", DnsRecordType.MX);
        Assert.Equal(DnssecStatus.Insecure, result.Status);
        Assert.Equal(ReasonCodes.InsecureDelegation, result.ReasonCode);
        Assert.Equal("c.example.", result.Reason!.Zone);
    }

    [Fact]
    public async Task ValidateAsync_Rfc5155B4WildcardExpansion_InsecureBecauseNextCloserIsOptOut()
    {
        // RFC 5155 section 9.2: the NSEC3 covering the next closer name z.w.example has opt-out, so no AD;
        // unbound/val_nsec3_b4_wild.rpl expects NOERROR without AD. (Was Secure: the opt-out flag was ignored.)
        var result = await Rfc5155Zone.Validator(Rfc5155Zone.Source()).ValidateAsync("a.z.w.example.", DnsRecordType.MX);
        Assert.Equal(DnssecStatus.Insecure, result.Status);
        Assert.Equal(ReasonCodes.InsecureDelegation, result.ReasonCode);
        Assert.Contains("z.w.example.", result.Reason!.Message);
        Assert.Equal("a.z.w.example. 3600 IN MX 1 ai.example.", Assert.Single(result.Records).Record);
        Assert.Contains(result.AnswerSignatures, s => s.TypeCovered == DnsRecordType.NSEC3 && s.Outcome == "Valid");
    }

    [Fact]
    public async Task ValidateAsync_Rfc5155B5WildcardNoData_InsecureBecauseNextCloserIsOptOut()
    {
        // RFC 5155 section 9.2 (closest encloser proof with an opt-out next closer span); unbound's
        // val_nsec3_b5_wcnodata_nowc.rpl: "insecure! not bogus! (due to optout)". (Was Secure NoData.)
        var result = await Rfc5155Zone.Validator(Rfc5155Zone.Source()).ValidateAsync("a.z.w.example.", DnsRecordType.AAAA);
        Assert.Equal(DnssecStatus.Insecure, result.Status);
        Assert.Equal(ReasonCodes.InsecureDelegation, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_Rfc5155B4WithoutNsec3_BogusNsecProofMissing()
    {
        var source = Rfc5155Zone.Source();
        var answer = Rfc5155Zone.Set("*.w.example.", DnsRecordType.MX).Select(r => r.WithOwner(DnsName.Parse("a.z.w.example."))).ToList();
        source.Add("a.z.w.example.", DnsRecordType.MX, answer, Rfc5155Zone.Set("example.", DnsRecordType.NS));
        var result = await Rfc5155Zone.Validator(source).ValidateAsync("a.z.w.example.", DnsRecordType.MX);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.NsecProofMissing, result.ReasonCode);
        Assert.Equal(12, result.ExtendedDnsError);
    }

    [Fact]
    public async Task ValidateAsync_Rfc5155B6DsOfAnchoredApex_NoAnchorForTheParent()
    {
        // A DS RRset belongs to the parent's side of the cut; with only example. anchored, nothing can validate it,
        // and the child-apex NSEC3 of B.6 is not used as a proof (see Nsec3ProverTests).
        var result = await Rfc5155Zone.Validator(Rfc5155Zone.Source()).ValidateAsync("example.", DnsRecordType.DS);
        Assert.Equal(DnssecStatus.Indeterminate, result.Status);
        Assert.Equal(ReasonCodes.NoTrustAnchor, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_Rfc5155WithStrictSha1_InsecureUnsupportedAlgorithm()
    {
        var result = await Rfc5155Zone.Validator(Rfc5155Zone.Source(), o => o.StrictSha1 = true).ValidateAsync("ns1.example.", DnsRecordType.MX);
        Assert.Equal(DnssecStatus.Insecure, result.Status);
        Assert.Equal(ReasonCodes.UnsupportedAlgorithm, result.ReasonCode);
        Assert.Contains(result.Warnings, w => w.Contains("StrictSha1"));
    }

    [Fact]
    public async Task ValidateAsync_Rfc5155AfterExpiration_BogusRrsigExpired()
    {
        var result = await Rfc5155Zone.Validator(Rfc5155Zone.Source(), o => o.ValidationTime = new DateTime(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc))
            .ValidateAsync("ns1.example.", DnsRecordType.MX);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.RrsigExpired, result.ReasonCode);
        Assert.Equal("example.", result.Reason!.Zone);
    }

    [Fact]
    public async Task ValidateAsync_Rfc5155DeepNxdomain_Nsec3HashBudgetExceeded()
    {
        var deep = string.Join(".", Enumerable.Range(0, 40).Select(i => "l" + i)) + ".example.";
        var source = Rfc5155Zone.Source();
        source.Add(deep, DnsRecordType.A, null, Rfc5155Zone.Set("example.", DnsRecordType.SOA)
            .Concat(Rfc5155Zone.Nsec3("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom")).Concat(Rfc5155Zone.Nsec3("35mthgpgcu1qg68fab165klnsnk3dpvl")), DnsResponseCode.NXDomain);
        var result = await Rfc5155Zone.Validator(source).ValidateAsync(deep, DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.WorkLimitExceeded, result.ReasonCode);
        Assert.Equal(32, result.Work.MaxNsec3HashesInOneResponse);
    }

    // ---------------------------------------------------------------- signed test hierarchy

    [Fact]
    public async Task ValidateAsync_SecureAnswer_SecureWithLinksAndCounters()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);

        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Null(result.Reason);
        Assert.Equal(string.Empty, result.ReasonCode);
        Assert.Equal("www.example.test.", result.FinalName);
        Assert.Equal(DnssecStatus.Secure, Assert.Single(result.Records).Status);
        Assert.Equal(new[] { ".", "test.", "example.test." }, result.Links.Select(l => l.Zone));
        Assert.True(result.Links[0].IsTrustAnchor);
        Assert.All(result.Links, l => Assert.Equal(DnssecStatus.Secure, l.Status));
        var zoneLink = result.Links[2];
        Assert.Contains(zoneLink.Keys, k => k.KeyTag == h.Zone.KskTag && k.MatchesDs && k.SignedKeySet && k.IsSecureEntryPoint);
        Assert.Contains(zoneLink.Keys, k => k.KeyTag == h.Zone.ZskTag && !k.MatchesDs && k.IsZoneKey);
        Assert.True(Assert.Single(zoneLink.DsRecords).MatchesKey);
        Assert.Contains(zoneLink.Signatures, s => s.TypeCovered == DnsRecordType.DS && s.Signer == "test." && s.Outcome == "Valid");
        Assert.Contains(zoneLink.Signatures, s => s.TypeCovered == DnsRecordType.DNSKEY && s.KeyTag == h.Zone.KskTag
            && s.InceptionUtc == TestZone.DefaultInception && s.ExpirationUtc == TestZone.DefaultExpiration);
        Assert.Equal("127.0.0.1:53", zoneLink.Server);
        Assert.Equal("127.0.0.1:53", zoneLink.DsServer);
        Assert.Contains(result.AnswerSignatures, s => s.TypeCovered == DnsRecordType.A && s.KeyTag == h.Zone.ZskTag && s.Outcome == "Valid");
        // Questions: the answer, the root DNSKEY, then DS and DNSKEY per cut; one signature check per RRset.
        Assert.Equal(6, result.Work.Queries);
        Assert.Equal(6, result.Work.SignatureVerifications);
        Assert.Equal(0, result.Work.CacheHits);
        Assert.Equal(TestHierarchy.Now, result.ValidationTimeUtc);
    }

    [Fact]
    public async Task ValidateAsync_SecondNameInSameZone_KeysFromCacheCostNothing()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        h.Source.Add("mail.example.test.", DnsRecordType.A, h.Zone.Signed("mail.example.test. 300 IN A 192.0.2.2"));
        var validator = h.Validator();
        await validator.ValidateAsync("www.example.test", DnsRecordType.A);
        var second = await validator.ValidateAsync("mail.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Secure, second.Status);
        Assert.Equal(1, second.Work.Queries);
        Assert.Equal(1, second.Work.SignatureVerifications);
        Assert.Equal(3, second.Work.CacheHits);
        Assert.Equal(3, second.Links.Count);
        Assert.Equal(1, h.Source.CountOf("example.test. DNSKEY"));
    }

    [Fact]
    public async Task ValidateAsync_ConcurrentValidations_ZoneKeysFetchedOnce()
    {
        using var h = new TestHierarchy();
        for (int i = 0; i < 20; i++) h.Source.Add($"h{i}.example.test.", DnsRecordType.A, h.Zone.Signed($"h{i}.example.test. 300 IN A 192.0.2.{i + 1}"));
        h.Source.Delay = TimeSpan.FromMilliseconds(20);
        var validator = h.Validator();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => validator.ValidateAsync($"h{i}.example.test", DnsRecordType.A)));
        Assert.All(results, r => Assert.Equal(DnssecStatus.Secure, r.Status));
        Assert.Equal(1, h.Source.CountOf(". DNSKEY"));
        Assert.Equal(1, h.Source.CountOf("test. DS"));
        Assert.Equal(1, h.Source.CountOf("example.test. DNSKEY"));
    }

    [Fact]
    public async Task ValidateAsync_CachedKeysAtATimeOutsideTheirSignatures_RevalidatedAndExpired()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        var cache = new ValidationCache();
        Assert.Equal(DnssecStatus.Secure, (await h.Validator(cache: cache).ValidateAsync("www.example.test", DnsRecordType.A)).Status);
        var later = h.Options(o => o.ValidationTime = new DateTime(2029, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var result = await h.Validator(later, cache).ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.RrsigExpired, result.ReasonCode);
        Assert.Equal(".", result.Reason!.Zone);
        Assert.Equal(0, result.Work.CacheHits);
    }

    [Fact]
    public async Task ValidateAsync_SharedCacheThenAnotherAnchor_NotServedFromTheCache()
    {
        // The cache key carries the anchors' fingerprint: keys proven from one anchor must not vouch under another.
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        var cache = new ValidationCache();
        Assert.Equal(DnssecStatus.Secure, (await h.Validator(cache: cache).ValidateAsync("www.example.test", DnsRecordType.A)).Status);

        using var otherRoot = new TestZone(".");
        var otherAnchors = new TrustAnchorStore();
        otherAnchors.Add(otherRoot.Ds());
        var other = await h.Validator(h.Options(o => o.TrustAnchors = otherAnchors), cache).ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, other.Status);
        Assert.Equal(0, other.Work.CacheHits);

        // The first anchor, asked again through a fresh store with the same record, hits the cache.
        var again = await h.Validator(cache: cache).ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Secure, again.Status);
        Assert.True(again.Work.CacheHits > 0);
    }

    [Theory]
    [InlineData(2027, 6, ReasonCodes.RrsigNotYetValid, 8)]
    [InlineData(2030, 1, ReasonCodes.RrsigExpired, 7)]
    public async Task ValidateAsync_AnswerSignatureOutsideWindow_Bogus(int year, int month, string code, int ede)
    {
        using var h = new TestHierarchy();
        var rrset = new[] { ResourceRecord.Parse("www.example.test. 300 IN A 192.0.2.1") };
        var t = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
        var sig = code == ReasonCodes.RrsigNotYetValid ? h.Zone.Sign(rrset, inception: t) : h.Zone.Sign(rrset, inception: new DateTime(2020, 1, 1), expiration: new DateTime(2026, 12, 31));
        h.Source.Add("www.example.test.", DnsRecordType.A, rrset.Append(sig));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(code, result.ReasonCode);
        Assert.Equal(ede, result.ExtendedDnsError);
        Assert.Equal("example.test.", result.Reason!.Zone);
        Assert.Equal("www.example.test. A", result.Reason.Record);
    }

    [Fact]
    public async Task ValidateAsync_UnsignedAnswerInSignedZone_BogusMissingRrsig()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.A, new[] { ResourceRecord.Parse("www.example.test. 300 IN A 192.0.2.1") });
        h.Source.Add("www.example.test.", DnsRecordType.DS, null, h.Zone.Signed("www.example.test. 300 IN NSEC zz.example.test. A RRSIG NSEC"));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.MissingRrsig, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_SignatureByUnknownSigner_BogusNoValidSignature()
    {
        using var h = new TestHierarchy();
        using var other = new TestZone("example.test.");
        h.Source.Add("www.example.test.", DnsRecordType.A, other.Signed("www.example.test. 300 IN A 192.0.2.1"));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.NoValidSignature, result.ReasonCode);
        Assert.Contains(result.AnswerSignatures, s => s.Outcome == "NoMatchingKey");
    }

    [Fact]
    public async Task ValidateAsync_DsOnlyWithSha1WhileSha256DsFails_BogusPerRfc4509()
    {
        using var h = new TestHierarchy();
        var badSha256 = $"example.test. 3600 IN DS {h.Zone.KskTag} 13 2 {new string('0', 64)}";
        h.Source.Add("example.test.", DnsRecordType.DS, h.Tld.Signed(h.Zone.Ds(DsDigestType.Sha1), badSha256));
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.DsDigestMismatch, result.ReasonCode);
        var link = result.Links.Single(l => l.Zone == "example.test.");
        Assert.Contains(link.DsRecords, d => d.DigestType == DsDigestType.Sha1 && !d.IsUsable);
    }

    [Fact]
    public async Task ValidateAsync_Sha1DsAloneMatches_Secure()
    {
        using var h = new TestHierarchy();
        h.Source.Add("example.test.", DnsRecordType.DS, h.Tld.Signed(h.Zone.Ds(DsDigestType.Sha1)));
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        Assert.Equal(DnssecStatus.Secure, (await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A)).Status);
    }

    [Theory]
    [InlineData("example.test. 3600 IN DS {0} 3 2 {1}", DnssecStatus.Insecure, ReasonCodes.UnsupportedAlgorithm)] // DSA only
    [InlineData("example.test. 3600 IN DS {0} 13 3 {1}", DnssecStatus.Insecure, ReasonCodes.UnsupportedDigest)] // GOST only
    public async Task ValidateAsync_DsSetWithoutSupportedPair_Insecure(string dsTemplate, DnssecStatus status, string code)
    {
        using var h = new TestHierarchy();
        h.Source.Add("example.test.", DnsRecordType.DS, h.Tld.Signed(string.Format(dsTemplate, h.Zone.KskTag, new string('A', 64))));
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(status, result.Status);
        Assert.Equal(code, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_TwoDsOneMatching_SecureByAnyValidPath()
    {
        using var h = new TestHierarchy();
        var wrong = $"example.test. 3600 IN DS {(ushort)(h.Zone.KskTag + 1)} 13 2 {new string('B', 64)}";
        h.Source.Add("example.test.", DnsRecordType.DS, h.Tld.Signed(wrong, h.Zone.Ds()));
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        Assert.Equal(DnssecStatus.Secure, (await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A)).Status);
    }

    [Fact]
    public async Task ValidateAsync_UnsignedDelegationProvenByNsec_Insecure()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.sub.example.test.", DnsRecordType.A, new[] { ResourceRecord.Parse("www.sub.example.test. 300 IN A 192.0.2.9") });
        h.Source.Add("sub.example.test.", DnsRecordType.DS, null, h.Zone.Signed("sub.example.test. 300 IN NSEC www.example.test. NS RRSIG NSEC"));
        var result = await h.Validator().ValidateAsync("www.sub.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Insecure, result.Status);
        Assert.Equal(ReasonCodes.InsecureDelegation, result.ReasonCode);
        Assert.Null(result.ExtendedDnsError);
        Assert.Equal("sub.example.test.", result.Links.Last().Zone);
        Assert.Equal(DnssecStatus.Insecure, result.Records.Single().Status);
    }

    [Theory]
    [InlineData("sub.example.test. 300 IN NSEC www.example.test. NS SOA RRSIG NSEC")] // the child's apex NSEC
    [InlineData("sub.example.test. 300 IN NSEC www.example.test. NS DS RRSIG NSEC")] // claims a DS that is not there
    public async Task ValidateAsync_DsAbsenceProofFromWrongSide_Bogus(string nsec)
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.sub.example.test.", DnsRecordType.A, new[] { ResourceRecord.Parse("www.sub.example.test. 300 IN A 192.0.2.9") });
        h.Source.Add("sub.example.test.", DnsRecordType.DS, null, h.Zone.Signed(nsec));
        var result = await h.Validator().ValidateAsync("www.sub.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.NsecProofMissing, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_NameWithoutNsBitOnTheWay_NotACutAndAnswerValidatesWithZoneKeys()
    {
        using var h = new TestHierarchy();
        h.Source.Add("a.b.example.test.", DnsRecordType.A, h.Zone.Signed("a.b.example.test. 300 IN A 192.0.2.7"));
        var result = await h.Validator().ValidateAsync("a.b.example.test", DnsRecordType.A);
        // The signer is example.test., so no DS question is asked below it.
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal(0, h.Source.CountOf("b.example.test. DS"));
    }

    [Fact]
    public async Task ValidateAsync_NxdomainWithNsec_SecureNameDoesNotExist()
    {
        using var h = new TestHierarchy();
        h.Source.Add("nx.example.test.", DnsRecordType.A, null,
            h.Zone.Signed("example.test. 300 IN SOA ns.example.test. h.example.test. 1 2 3 4 300",
                "example.test. 300 IN NSEC www.example.test. SOA NS DNSKEY RRSIG NSEC"), DnsResponseCode.NXDomain);
        var result = await h.Validator().ValidateAsync("nx.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal(ReasonCodes.NameDoesNotExist, result.ReasonCode);
        Assert.Empty(result.Records);
    }

    [Fact]
    public async Task ValidateAsync_NxdomainWithoutWildcardProof_BogusNsecProofMissing()
    {
        using var h = new TestHierarchy();
        // The NSEC covers nx.example.test. but not *.example.test. (which sorts before "a").
        h.Source.Add("nx.example.test.", DnsRecordType.A, null,
            h.Zone.Signed("a.example.test. 300 IN NSEC www.example.test. A RRSIG NSEC"), DnsResponseCode.NXDomain);
        var result = await h.Validator().ValidateAsync("nx.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.NsecProofMissing, result.ReasonCode);
    }

    [Theory]
    [InlineData("www.example.test. 300 IN NSEC zz.example.test. A RRSIG NSEC", DnssecStatus.Secure)]
    [InlineData("www.example.test. 300 IN NSEC zz.example.test. CNAME RRSIG NSEC", DnssecStatus.Bogus)] // RFC 6840 4.3
    [InlineData("www.example.test. 300 IN NSEC zz.example.test. TXT RRSIG NSEC", DnssecStatus.Bogus)]
    public async Task ValidateAsync_NodataWithNsec_ChecksTypeAndCnameBits(string nsec, DnssecStatus expected)
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.TXT, null, h.Zone.Signed(nsec));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.TXT);
        Assert.Equal(expected, result.Status);
        Assert.Equal(expected == DnssecStatus.Secure ? ReasonCodes.NoData : ReasonCodes.NsecProofMissing, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_NsecAtDelegationCannotDenyNamesBelow_Bogus()
    {
        // RFC 6840 4.1: an NSEC with NS and without SOA proves nothing about names below its owner.
        using var h = new TestHierarchy();
        h.Source.Add("x.sub.example.test.", DnsRecordType.A, null,
            h.Zone.Signed("sub.example.test. 300 IN NSEC zz.example.test. NS RRSIG NSEC",
                "*.example.test. 300 IN NSEC a.example.test. TXT RRSIG NSEC"), DnsResponseCode.NXDomain);
        var result = await h.Validator().ValidateAsync("x.sub.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
    }

    [Fact]
    public async Task ValidateAsync_LabelsAboveOwner_BogusRrsigLabelsExceedOwner()
    {
        using var h = new TestHierarchy();
        var rrset = new[] { ResourceRecord.Parse("www.example.test. 300 IN A 192.0.2.1") };
        h.Source.Add("www.example.test.", DnsRecordType.A, rrset.Append(h.Zone.Sign(rrset, labels: 4)));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(ReasonCodes.RrsigLabelsExceedOwner, result.ReasonCode);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
    }

    [Fact]
    public async Task ValidateAsync_WildcardExpansionWithNsec_Secure()
    {
        using var h = new TestHierarchy();
        var wildcard = new[] { ResourceRecord.Parse("*.w.example.test. 300 IN A 192.0.2.5") };
        var sig = h.Zone.Sign(wildcard);
        var answer = new[] { wildcard[0].WithOwner(DnsName.Parse("host.w.example.test.")), sig.WithOwner(DnsName.Parse("host.w.example.test.")) };
        h.Source.Add("host.w.example.test.", DnsRecordType.A, answer, h.Zone.Signed("*.w.example.test. 300 IN NSEC x.w.example.test. A RRSIG NSEC"));
        var result = await h.Validator().ValidateAsync("host.w.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal("host.w.example.test.", result.Records.Single().Owner);
    }

    [Fact]
    public async Task ValidateAsync_CnameChain_FollowedLinkByLink()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN CNAME target.example.test."));
        h.Source.Add("target.example.test.", DnsRecordType.A, h.Zone.Signed("target.example.test. 300 IN A 192.0.2.3"));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        var link = Assert.Single(result.Aliases);
        Assert.Equal(DnsRecordType.CNAME, link.Type);
        Assert.Equal("target.example.test.", link.Target);
        Assert.Equal(DnssecStatus.Secure, link.Status);
        Assert.Equal("target.example.test.", result.FinalName);
        Assert.Equal("192.0.2.3", result.Records.Single().Data);
    }

    [Fact]
    public async Task ValidateAsync_InsecureCnameToSecureTarget_WeakestLinkInsecure()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.sub.example.test.", DnsRecordType.A, new[] { ResourceRecord.Parse("www.sub.example.test. 300 IN CNAME target.example.test.") });
        h.Source.Add("sub.example.test.", DnsRecordType.DS, null, h.Zone.Signed("sub.example.test. 300 IN NSEC target.example.test. NS RRSIG NSEC"));
        h.Source.Add("target.example.test.", DnsRecordType.A, h.Zone.Signed("target.example.test. 300 IN A 192.0.2.3"));
        var result = await h.Validator().ValidateAsync("www.sub.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Insecure, result.Status);
        Assert.Equal(ReasonCodes.InsecureDelegation, result.ReasonCode);
        Assert.Equal(DnssecStatus.Insecure, result.Aliases.Single().Status);
        Assert.Equal(DnssecStatus.Secure, result.Records.Single().Status);
    }

    [Fact]
    public async Task ValidateAsync_ThirteenCnameLinks_CnameChainTooLong()
    {
        using var h = new TestHierarchy();
        for (int i = 0; i < 13; i++) h.Source.Add($"c{i}.example.test.", DnsRecordType.A, h.Zone.Signed($"c{i}.example.test. 300 IN CNAME c{i + 1}.example.test."));
        h.Source.Add("c13.example.test.", DnsRecordType.A, h.Zone.Signed("c13.example.test. 300 IN A 192.0.2.1"));
        var result = await h.Validator().ValidateAsync("c0.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Indeterminate, result.Status);
        Assert.Equal(ReasonCodes.CnameChainTooLong, result.ReasonCode);
        Assert.Equal(13, result.Aliases.Count);

        var twelve = await h.Validator().ValidateAsync("c1.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Secure, twelve.Status);
        Assert.Equal(12, twelve.Aliases.Count);
    }

    [Fact]
    public async Task ValidateAsync_CnameLoop_CnameChainTooLong()
    {
        using var h = new TestHierarchy();
        h.Source.Add("a.example.test.", DnsRecordType.A, h.Zone.Signed("a.example.test. 300 IN CNAME b.example.test."));
        h.Source.Add("b.example.test.", DnsRecordType.A, h.Zone.Signed("b.example.test. 300 IN CNAME a.example.test."));
        var result = await h.Validator().ValidateAsync("a.example.test", DnsRecordType.A);
        Assert.Equal(ReasonCodes.CnameChainTooLong, result.ReasonCode);
        Assert.Contains("loops", result.Reason!.Message);
    }

    [Fact]
    public async Task ValidateAsync_Dname_SynthesizedTargetFollowed()
    {
        using var h = new TestHierarchy();
        var dname = h.Zone.Signed("d.example.test. 300 IN DNAME t.example.test.");
        var synthesized = ResourceRecord.Parse("x.d.example.test. 300 IN CNAME x.t.example.test."); // unsigned, as RFC 6672 allows
        h.Source.Add("x.d.example.test.", DnsRecordType.A, dname.Append(synthesized));
        h.Source.Add("x.t.example.test.", DnsRecordType.A, h.Zone.Signed("x.t.example.test. 300 IN A 192.0.2.4"));
        var result = await h.Validator().ValidateAsync("x.d.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        var link = Assert.Single(result.Aliases);
        Assert.Equal(DnsRecordType.DNAME, link.Type);
        Assert.Equal("d.example.test.", link.Owner);
        Assert.Equal("x.t.example.test.", link.Target);
    }

    [Fact]
    public async Task ValidateAsync_TenInvalidRrsigs_EightVerificationsThenWorkLimitExceeded()
    {
        using var h = new TestHierarchy();
        var rrset = new[] { ResourceRecord.Parse("www.example.test. 300 IN A 192.0.2.1") };
        // Ten distinct RRSIGs (different inceptions), each over other data, so none verifies.
        var sigs = Enumerable.Range(0, 10).Select(i => h.Zone.Sign(new[] { ResourceRecord.Parse("www.example.test. 300 IN A 192.0.2.99") }, inception: TestZone.DefaultInception.AddSeconds(i))).ToList();
        h.Source.Add("www.example.test.", DnsRecordType.A, rrset.Concat(sigs));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.WorkLimitExceeded, result.ReasonCode);
        Assert.Equal(8, result.Work.MaxVerificationsForOneRrset);
        Assert.Equal(5 + 8, result.Work.SignatureVerifications);
    }

    [Fact]
    public async Task ValidateAsync_FiveCollidingKeyTags_FourTriedThenWorkLimitExceeded()
    {
        using var h = new TestHierarchy();
        // Swapping two public-key octets two positions apart keeps the key tag (RFC 4034 Appendix B sums by parity).
        var zsk = h.Zone.Zsk.GetRdata();
        for (int a = 4; h.Zone.ExtraKeys.Count < 5; a++)
        {
            if (zsk[a] == zsk[a + 2]) continue; // swapping equal octets would give the same key
            var rdata = (byte[])zsk.Clone();
            (rdata[a], rdata[a + 2]) = (rdata[a + 2], rdata[a]);
            h.Zone.ExtraKeys.Add(new ResourceRecord(h.Zone.Name, DnsRecordType.DNSKEY, 1, 3600, rdata));
        }
        Assert.All(h.Zone.ExtraKeys, k => Assert.Equal(h.Zone.ZskTag, KeyTag.Compute(k.GetRdata())));
        Assert.Equal(5, h.Zone.ExtraKeys.Select(k => Hex.Encode(k.GetRdata())).Distinct().Count(k => k != Hex.Encode(h.Zone.Zsk.GetRdata())));
        // The real ZSK sorts after the decoys in the RRset order the validator receives.
        var keys = h.Zone.ExtraKeys.Concat(new[] { h.Zone.Ksk, h.Zone.Zsk }).ToList();
        h.Source.Add("example.test.", DnsRecordType.DNSKEY, keys.Append(h.Zone.Sign(keys)));
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));

        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.WorkLimitExceeded, result.ReasonCode);
        Assert.Equal(4, result.Work.MaxVerificationsForOneRrset);

        var relaxed = await h.Validator(h.Options(o => o.MaxKeysPerKeyTag = 8)).ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Secure, relaxed.Status);
        Assert.Equal(6, relaxed.Work.MaxVerificationsForOneRrset);
    }

    [Fact]
    public async Task ValidateAsync_QueryBudget_WorkLimitExceeded()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        var result = await h.Validator(h.Options(o => o.MaxQueries = 3)).ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.WorkLimitExceeded, result.ReasonCode);
        Assert.Equal(3, result.Work.Queries);
        Assert.Equal(3, h.Source.Asked.Count);
    }

    [Fact]
    public async Task ValidateAsync_TotalVerificationBudget_WorkLimitExceeded()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        var result = await h.Validator(h.Options(o => o.MaxSignatureVerifications = 3)).ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.WorkLimitExceeded, result.ReasonCode);
        Assert.Equal(3, result.Work.SignatureVerifications);
    }

    [Fact]
    public async Task ValidateAsync_RevokedKsk_BogusKeyRevoked()
    {
        using var h = new TestHierarchy();
        h.Zone.SetKskFlags(257 | 0x80);
        h.Delegate(h.Tld, h.Zone);
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.KeyRevoked, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_NoAnchorCoversName_IndeterminateNoTrustAnchor()
    {
        using var h = new TestHierarchy();
        var options = h.Options();
        options.TrustAnchors = new TrustAnchorStore();
        options.TrustAnchors.Add("other. IN DS 1 13 2 " + new string('0', 64));
        var result = await h.Validator(options).ValidateAsync("www.example.test", DnsRecordType.AAAA);
        Assert.Equal(DnssecStatus.Indeterminate, result.Status);
        Assert.Equal(ReasonCodes.NoTrustAnchor, result.ReasonCode);
        Assert.Equal(5, result.ExtendedDnsError);
    }

    [Fact]
    public async Task ValidateAsync_ServfailAndTimeout_Indeterminate()
    {
        using var h = new TestHierarchy();
        h.Source.AddFailure("www.example.test.", DnsRecordType.A, () => new DnsResponse(DnsResponseCode.ServFail, server: "127.0.0.1:5353"));
        h.Source.AddFailure("slow.example.test.", DnsRecordType.A, () => throw new DnsTransportException("timed out after 2 s", isTimeout: true));
        var failed = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Indeterminate, failed.Status);
        Assert.Equal(ReasonCodes.ServerFailure, failed.ReasonCode);
        Assert.Contains("127.0.0.1:5353", failed.Reason!.Message);
        var slow = await h.Validator().ValidateAsync("slow.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Indeterminate, slow.Status);
        Assert.Equal(ReasonCodes.Timeout, slow.ReasonCode);
        Assert.Equal(22, slow.ExtendedDnsError);
    }

    [Fact]
    public async Task ValidateAsync_DsQuestion_ValidatedWithParentKeys()
    {
        using var h = new TestHierarchy();
        var result = await h.Validator().ValidateAsync("example.test", DnsRecordType.DS);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal(new[] { ".", "test." }, result.Links.Select(l => l.Zone));
    }

    [Fact]
    public async Task ValidateAsync_OptionsChangedAfterStart_SnapshotUsed()
    {
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        h.Source.Delay = TimeSpan.FromMilliseconds(30);
        var options = h.Options();
        var task = h.Validator(options).ValidateAsync("www.example.test", DnsRecordType.A);
        options.ValidationTime = new DateTime(2040, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        options.TrustAnchors!.Add("other. IN DS 1 13 2 " + new string('0', 64));
        var result = await task;
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal(TestHierarchy.Now, result.ValidationTimeUtc);
    }

    [Fact]
    public async Task ValidateAsync_SharedCacheWithAndWithoutStrictSha1_KeptApart()
    {
        var source = Rfc5155Zone.Source();
        var anchors = new TrustAnchorStore();
        anchors.Add(Rfc5155Zone.KskAnchor);
        var cache = new ValidationCache();
        var clock = new FixedClock(Rfc5155Zone.ValidationTime);
        var lax = new ChainValidator(source, new DnssecValidatorOptions { TrustAnchors = anchors, ValidationTime = Rfc5155Zone.ValidationTime }, clock, cache);
        var strict = new ChainValidator(source, new DnssecValidatorOptions { TrustAnchors = anchors, ValidationTime = Rfc5155Zone.ValidationTime, StrictSha1 = true }, clock, cache);
        Assert.Equal(DnssecStatus.Secure, (await lax.ValidateAsync("ns1.example.", DnsRecordType.MX)).Status);
        Assert.Equal(DnssecStatus.Insecure, (await strict.ValidateAsync("ns1.example.", DnsRecordType.MX)).Status);
        Assert.Equal(DnssecStatus.Secure, (await lax.ValidateAsync("ns1.example.", DnsRecordType.MX)).Status);
    }

    [Theory]
    [InlineData(0, "-", false)]
    [InlineData(0, "AB", true)]
    [InlineData(1, "-", true)]
    public async Task ValidateAsync_Nsec3IterationsOrSalt_Warning(int iterations, string salt, bool warned)
    {
        using var h = new TestHierarchy();
        var saltBytes = salt == "-" ? Array.Empty<byte>() : Hex.Decode(salt);
        var hash = DaneTools.Core.Crypto.Nsec3Hash.ComputeBase32Hex(DnsName.Parse("www.example.test."), saltBytes, iterations);
        var next = DaneTools.Core.Crypto.Nsec3Hash.ComputeBase32Hex(DnsName.Parse("example.test."), saltBytes, iterations);
        h.Source.Add("www.example.test.", DnsRecordType.TXT, null,
            h.Zone.Signed($"{hash}.example.test. 300 IN NSEC3 1 0 {iterations} {salt} {next} A RRSIG"));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.TXT);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal(ReasonCodes.NoData, result.ReasonCode);
        Assert.Equal(warned, result.Warnings.Any(w => w.Contains("RFC 9276")));
    }

    [Fact]
    public async Task ValidateAsync_DnameTargetTooLong_BogusInvalidData()
    {
        using var h = new TestHierarchy();
        var longTarget = string.Join(".", Enumerable.Range(0, 4).Select(i => new string((char)('a' + i), 60))) + ".";
        var qname = new string('q', 50) + ".d.example.test.";
        h.Source.Add(qname, DnsRecordType.A, h.Zone.Signed($"d.example.test. 300 IN DNAME {longTarget}"));
        var result = await h.Validator().ValidateAsync(qname, DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.InvalidData, result.ReasonCode);
    }

    [Theory]
    [InlineData(0)] // empty RDATA
    [InlineData(6)] // cut inside a label
    public async Task ValidateAsync_DnameRdataMalformed_BogusInvalidDataNotAnException(int keep)
    {
        // Found by the mutation fuzzer (Fuzz/, seed 7): a truncated DNAME target escaped as a FormatException.
        using var h = new TestHierarchy();
        var signed = h.Zone.Signed("d.example.test. 300 IN DNAME t.example.test.");
        var dname = signed.Single(r => r.Type == DnsRecordType.DNAME);
        var cut = new ResourceRecord(dname.Owner, DnsRecordType.DNAME, 1, 300, dname.GetRdata().Take(keep).ToArray());
        h.Source.Add("x.d.example.test.", DnsRecordType.A, signed.Select(r => r == dname ? cut : r));
        var result = await h.Validator().ValidateAsync("x.d.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.InvalidData, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_ReferralToSignedChild_Indeterminate()
    {
        using var h = new TestHierarchy();
        var authority = new[] { ResourceRecord.Parse("sub.example.test. 300 IN NS ns.sub.example.test.") }
            .Concat(h.Zone.Signed($"sub.example.test. 300 IN DS 1 13 2 {new string('A', 64)}"));
        h.Source.Add("www.sub.example.test.", DnsRecordType.A, null, authority);
        var result = await h.Validator().ValidateAsync("www.sub.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Indeterminate, result.Status);
        Assert.Equal(ReasonCodes.ServerFailure, result.ReasonCode);
    }

    // ---------------------------------------------------------------- denial proofs that must not fail open (issue 11)

    /// <summary>Signs an RRset at <paramref name="wildcardOwner"/> and returns it and its RRSIG shown at <paramref name="shownAt"/>, as a wildcard expansion.</summary>
    private static List<ResourceRecord> Expanded(TestZone zone, string line, string shownAt)
    {
        var rrset = new[] { ResourceRecord.Parse(line) };
        var sig = zone.Sign(rrset);
        var owner = DnsName.Parse(shownAt);
        return new List<ResourceRecord> { rrset[0].WithOwner(owner), sig.WithOwner(owner) };
    }

    [Fact]
    public async Task ValidateAsync_NodataFromWildcardExpandedNsec_BogusWildcardExpandedDenial()
    {
        // RFC 4035 5.3.2, CVE-2017-15105; unbound/val_nodata_failwc.rpl expects SERVFAIL: the NSEC shown at the TLSA
        // name has RRSIG Labels 2, so its owner is *.example.test., and that NSEC (next delegation.example.test.)
        // neither matches nor covers _25._tcp.mail.example.test.
        using var h = new TestHierarchy();
        h.Source.Add("_25._tcp.mail.example.test.", DnsRecordType.TLSA, null,
            h.Zone.Signed("example.test. 300 IN SOA ns.example.test. h.example.test. 1 2 3 4 300")
                .Concat(Expanded(h.Zone, "*.example.test. 300 IN NSEC delegation.example.test. TXT RRSIG NSEC", "_25._tcp.mail.example.test.")));
        var result = await h.Validator().ValidateAsync("_25._tcp.mail.example.test", DnsRecordType.TLSA);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.WildcardExpandedDenial, result.ReasonCode);
        Assert.Equal(6, result.ExtendedDnsError);
        Assert.Contains("NSEC denying _25._tcp.mail.example.test. is itself a wildcard expansion", result.Reason!.Message);
    }

    [Fact]
    public async Task ValidateAsync_NxdomainFromWildcardExpandedNsec_Bogus()
    {
        // RFC 4035 5.3.2 and 5.4: shown at m.example.test. the NSEC would cover mm.example.test.; at its real owner
        // *.example.test. it shows that the wildcard exists, so mm.example.test. cannot be NXDOMAIN.
        using var h = new TestHierarchy();
        h.Source.Add("mm.example.test.", DnsRecordType.A, null,
            h.Zone.Signed("example.test. 300 IN NSEC a.example.test. SOA NS DNSKEY RRSIG NSEC")
                .Concat(Expanded(h.Zone, "*.example.test. 300 IN NSEC n.example.test. TXT RRSIG NSEC", "m.example.test.")), DnsResponseCode.NXDomain);
        var result = await h.Validator().ValidateAsync("mm.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.WildcardExpandedDenial, result.ReasonCode);
        Assert.Contains("*.example.test.", result.Reason!.Message);
    }

    [Fact]
    public async Task ValidateAsync_ExpandedNsecThatProvesAtItsRealOwner_SecureWildcardNoData()
    {
        // RFC 4035 5.3.2 and 5.4: taken at its real owner *.example.test. the NSEC covers the name (closest encloser
        // example.test.) and is the wildcard's own NSEC without TLSA: a wildcard NODATA, as Unbound reads it.
        using var h = new TestHierarchy();
        h.Source.Add("_25._tcp.mail.example.test.", DnsRecordType.TLSA, null,
            Expanded(h.Zone, "*.example.test. 300 IN NSEC n.example.test. TXT RRSIG NSEC", "_25._tcp.mail.example.test."));
        var result = await h.Validator().ValidateAsync("_25._tcp.mail.example.test", DnsRecordType.TLSA);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal(ReasonCodes.NoData, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_WildcardExpandedNsec3_BogusWildcardExpandedDenial()
    {
        // RFC 5155 7.1: an NSEC3 owner is a hash label below the apex; an RRSIG with fewer labels makes it an expansion.
        using var h = new TestHierarchy();
        var nsec3 = "*.example.test. 300 IN NSEC3 1 0 0 - 0123456789ABCDEFGHIJKLMNOPQRSTUV A RRSIG";
        h.Source.Add("www.example.test.", DnsRecordType.TLSA, null,
            Expanded(h.Zone, nsec3, "0123456789abcdefghijklmnopqrstuv.example.test."));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.TLSA);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.WildcardExpandedDenial, result.ReasonCode);
        Assert.Contains("NSEC3", result.Reason!.Message);
    }

    [Fact]
    public async Task ValidateAsync_NxdomainFromNsecWhoseNextNameLeavesTheZone_Bogus()
    {
        // RFC 4035 5.4 and RFC 4034 4.1.1: a signed apex NSEC whose next name is outside example.test. proves nothing;
        // taken at face value it would deny every name of the zone, _25._tcp.mail.example.test. TLSA among them.
        using var h = new TestHierarchy();
        h.Source.Add("_25._tcp.mail.example.test.", DnsRecordType.TLSA, null,
            h.Zone.Signed("example.test. 300 IN NSEC zzz.test. SOA NS DNSKEY RRSIG NSEC"), DnsResponseCode.NXDomain);
        var result = await h.Validator().ValidateAsync("_25._tcp.mail.example.test", DnsRecordType.TLSA);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.NsecProofMissing, result.ReasonCode);
        Assert.Contains("points to zzz.test., outside the zone example.test.", result.Reason!.Message);
    }

    /// <summary>
    /// An NSEC3 line of example.test. (hash 1, no salt, <paramref name="iterations"/>) whose span just covers H(<paramref name="covered"/>):
    /// owner H-1, next H+1 in the last octet.
    /// </summary>
    private static string Nsec3Covering(string covered, bool optOut, string types = "A RRSIG", int iterations = 0, string salt = "-")
    {
        var saltBytes = salt == "-" ? Array.Empty<byte>() : Hex.Decode(salt);
        var h = DaneTools.Core.Crypto.Nsec3Hash.Compute(DnsName.Parse(covered), saltBytes, iterations);
        var lo = (byte[])h.Clone();
        var hi = (byte[])h.Clone();
        lo[^1]--;
        hi[^1]++;
        return $"{Base32Hex.Encode(lo, lowerCase: true)}.example.test. 300 IN NSEC3 1 {(optOut ? 1 : 0)} {iterations} {salt} {Base32Hex.Encode(hi)} {types}";
    }

    [Theory]
    [InlineData(true, DnssecStatus.Insecure)]
    [InlineData(false, DnssecStatus.Secure)]
    public async Task ValidateAsync_CnameFromWildcardNextCloserUnderNsec3OptOut_Insecure(bool optOut, DnssecStatus expected)
    {
        // RFC 5155 sections 8.8 and 9.2: www.w.example.test. CNAME expanded from *.w.example.test.; the NSEC3 covering the
        // next closer name www.w.example.test. decides: opt-out means Insecure (unbound/val_nsec3_cname_ds.rpl,
        // val_nsec3_optout_ad.rpl: no AD), no opt-out means Secure.
        using var h = new TestHierarchy();
        var answer = Expanded(h.Zone, "*.w.example.test. 300 IN CNAME target.example.test.", "www.w.example.test.");
        h.Source.Add("www.w.example.test.", DnsRecordType.A, answer, h.Zone.Signed(Nsec3Covering("www.w.example.test.", optOut)));
        h.Source.Add("target.example.test.", DnsRecordType.A, h.Zone.Signed("target.example.test. 300 IN A 192.0.2.3"));
        var result = await h.Validator().ValidateAsync("www.w.example.test", DnsRecordType.A);
        Assert.Equal(expected, result.Status);
        Assert.Equal(expected, Assert.Single(result.Aliases).Status);
        if (optOut) Assert.Contains("next closer name www.w.example.test. has opt-out", result.Reason!.Message);
    }

    [Fact]
    public async Task ValidateAsync_Nsec3ProofWithStrayHighIterationRecord_BogusNotInsecure()
    {
        // RFC 5155 7.2 and 8.2: a validly signed NSEC3 of another parameter set (here 200 iterations, an old chain
        // replayed) must make the proof Bogus; before, the high iteration count made the forged NODATA Insecure.
        using var h = new TestHierarchy();
        h.Source.Add("www.example.test.", DnsRecordType.TLSA, null, h.Zone.Signed(
            Nsec3Covering("www.example.test.", optOut: false),
            Nsec3Covering("example.test.", optOut: false, types: "SOA NS DNSKEY RRSIG NSEC3PARAM", iterations: 200, salt: "ab")));
        var result = await h.Validator().ValidateAsync("www.example.test", DnsRecordType.TLSA);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.Nsec3ParametersMixed, result.ReasonCode);
        Assert.Contains("200 iterations", result.Reason!.Message);
    }

    [Fact]
    public async Task ValidateAsync_DnameExpandedFromWildcard_BogusWildcardDname()
    {
        // RFC 4592 4.4 ("to be avoided or outright rejected"), RFC 6672 3.3: d.example.test. DNAME shown with RRSIG Labels 2
        // was expanded from *.example.test.; Unbound's validate_cname_response refuses a wildcarded DNAME as Bogus. The
        // NSEC proving that d.example.test. itself does not exist is present, so only the DNAME rule stops it.
        using var h = new TestHierarchy();
        var answer = Expanded(h.Zone, "*.example.test. 300 IN DNAME t.example.test.", "d.example.test.");
        answer.Add(ResourceRecord.Parse("x.d.example.test. 300 IN CNAME x.t.example.test."));
        h.Source.Add("x.d.example.test.", DnsRecordType.A, answer, h.Zone.Signed("c.example.test. 300 IN NSEC e.example.test. A RRSIG NSEC"));
        h.Source.Add("x.t.example.test.", DnsRecordType.A, h.Zone.Signed("x.t.example.test. 300 IN A 192.0.2.4"));
        var result = await h.Validator().ValidateAsync("x.d.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.WildcardDname, result.ReasonCode);
        Assert.Contains("DNAME at d.example.test. is itself a wildcard expansion of *.example.test.", result.Reason!.Message);
    }

    [Theory]
    [InlineData("x.d.example.test. 300 IN CNAME x.t.example.test.", DnssecStatus.Secure)]
    [InlineData("x.d.example.test. 300 IN CNAME elsewhere.example.test.", DnssecStatus.Bogus)]
    public async Task ValidateAsync_CnameQuestionAnsweredThroughSignedDname_SecureWhenTheCnameIsTheSubstitution(string synthesized, DnssecStatus expected)
    {
        // RFC 6672 section 5.3.1: the CNAME synthesised from a DNAME is unsigned; the signed DNAME proves it when it is the
        // substitution. deckard/val_dname.rpl (step 900302, shortloop.x. CNAME through x. DNAME .) expects AD.
        using var h = new TestHierarchy();
        h.Source.Add("x.d.example.test.", DnsRecordType.CNAME,
            h.Zone.Signed("d.example.test. 300 IN DNAME t.example.test.").Append(ResourceRecord.Parse(synthesized)));
        var result = await h.Validator().ValidateAsync("x.d.example.test", DnsRecordType.CNAME);
        Assert.Equal(expected, result.Status);
        Assert.Empty(result.Aliases);
        Assert.Equal(synthesized, Assert.Single(result.Records).Record);
        if (expected == DnssecStatus.Bogus) Assert.Equal(ReasonCodes.InvalidData, result.ReasonCode);
        else Assert.Contains(result.AnswerSignatures, s => s.TypeCovered == DnsRecordType.DNAME && s.Outcome == "Valid");
    }

    private static readonly string LongTarget = $"{new string('a', 63)}.{new string('b', 63)}.{new string('c', 63)}.t.example.test.";

    [Fact]
    public async Task ValidateAsync_YxdomainWithSignedDname_DnameValidatedNameCannotBeResolved()
    {
        // RFC 6672 section 2.2: the substitution into a 50-octet first label exceeds 255 octets, so YXDOMAIN.
        // unbound/val_dnametoolong.rpl expects YXDOMAIN with the DNAME, neither AD nor SERVFAIL: the DNAME is validated
        // (Secure among the records), the name cannot be resolved (Indeterminate, not a server failure).
        using var h = new TestHierarchy();
        var qname = $"{new string('q', 50)}.d.example.test.";
        h.Source.Add(qname, DnsRecordType.TLSA, h.Zone.Signed($"d.example.test. 300 IN DNAME {LongTarget}"), rcode: DnsResponseCode.YXDomain);
        var result = await h.Validator().ValidateAsync(qname, DnsRecordType.TLSA);
        Assert.Equal(DnssecStatus.Indeterminate, result.Status);
        Assert.Equal(ReasonCodes.DnameSubstitutionTooLong, result.ReasonCode);
        Assert.Contains("DNAME at d.example.test. is validly signed", result.Reason!.Message);
        Assert.Equal(DnsRecordType.DNAME, Assert.Single(result.Records).Type);
        Assert.Contains(result.AnswerSignatures, s => s.TypeCovered == DnsRecordType.DNAME && s.Outcome == "Valid");
    }

    [Fact]
    public async Task ValidateAsync_YxdomainWithForgedDname_Bogus()
    {
        // The DNAME of a YXDOMAIN answer is validated like any answer RRset (RFC 4035 section 5.3): a bad RRSIG is Bogus.
        using var h = new TestHierarchy();
        var qname = $"{new string('q', 50)}.d.example.test.";
        var dname = new[] { ResourceRecord.Parse($"d.example.test. 300 IN DNAME {LongTarget}") };
        var forged = h.Zone.Sign(new[] { ResourceRecord.Parse("d.example.test. 300 IN DNAME t.example.test.") });
        h.Source.Add(qname, DnsRecordType.TLSA, dname.Append(forged), rcode: DnsResponseCode.YXDomain);
        var result = await h.Validator().ValidateAsync(qname, DnsRecordType.TLSA);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.NoValidSignature, result.ReasonCode);
    }

    [Fact]
    public async Task ValidateAsync_DnameToPositiveWildcard_Secure()
    {
        // unbound/val_dnametoposwc.rpl expects AD: a DNAME that is no expansion, whose target is answered from a wildcard
        // with its NSEC proof (RFC 4035 5.3.4). Only a DNAME that is itself expanded is refused (RFC 6672 3.3).
        using var h = new TestHierarchy();
        var dname = h.Zone.Signed("d.example.test. 300 IN DNAME t.example.test.");
        h.Source.Add("www.d.example.test.", DnsRecordType.A, dname.Append(ResourceRecord.Parse("www.d.example.test. 300 IN CNAME www.t.example.test.")));
        h.Source.Add("www.t.example.test.", DnsRecordType.A, Expanded(h.Zone, "*.t.example.test. 300 IN A 192.0.2.8", "www.t.example.test."),
            h.Zone.Signed("*.t.example.test. 300 IN NSEC z.t.example.test. A RRSIG NSEC"));
        var result = await h.Validator().ValidateAsync("www.d.example.test", DnsRecordType.A);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal(DnsRecordType.DNAME, Assert.Single(result.Aliases).Type);
        Assert.Equal("192.0.2.8", Assert.Single(result.Records).Data);
    }
}
