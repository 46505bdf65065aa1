using System;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Tests.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class DsMatcherTests
{
    private static RrsetVerifier Verifier(DateTime at, bool strict = false)
    {
        var settings = new DnssecValidatorOptions { ValidationTime = at, StrictSha1 = strict }.Snapshot(new FixedClock(at));
        return new RrsetVerifier(new DnssecSignatureVerifier(), settings, new WorkBudget(settings));
    }

    private static DsMatchResult Match(TestZone zone, params string[] ds) =>
        DsMatcher.Match(zone.Name, ds.Select(ResourceRecord.Parse).Select(DsRecord.From).ToList(), Array.Empty<DnskeyRecord>(),
            zone.DnskeyRrset, new[] { RrsigRecord.From(zone.Sign(zone.DnskeyRrset)) }, Verifier(TestHierarchy.Now));

    [Fact]
    public void Match_Rfc4509Sha256Present_Sha1DsIgnoredForWholeRrset()
    {
        using var zone = new TestZone("example.");
        // A correct SHA-1 DS for the KSK and a SHA-256 DS for another tag: SHA-1 is ignored (RFC 4509 3), nothing matches.
        var other = $"example. 3600 IN DS 1 13 2 {new string('C', 64)}";
        var result = Match(zone, zone.Ds(DsDigestType.Sha1), other);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.NoDnskeyForDs, result.Reason!.Code);
        Assert.False(result.DsInfos.Single(d => d.DigestType == DsDigestType.Sha1).IsUsable);
        Assert.Equal(DnssecStatus.Secure, Match(zone, zone.Ds(DsDigestType.Sha1)).Status);
        Assert.Equal(DnssecStatus.Secure, Match(zone, zone.Ds(DsDigestType.Sha384), zone.Ds(DsDigestType.Sha1)).Status);
    }

    [Fact]
    public void Match_SupportedFailsBesideUnsupported_Bogus()
    {
        using var zone = new TestZone("example.");
        var wrong = $"example. 3600 IN DS {zone.KskTag} 13 2 {new string('D', 64)}";
        var unsupported = $"example. 3600 IN DS {zone.KskTag} 12 2 {new string('E', 64)}";
        var result = Match(zone, wrong, unsupported);
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.DsDigestMismatch, result.Reason!.Code);
    }

    [Fact]
    public void Match_OnlyUnsupportedAlgorithmsOrDigests_Insecure()
    {
        using var zone = new TestZone("example.");
        var alg = Match(zone, $"example. 3600 IN DS {zone.KskTag} 12 2 {new string('E', 64)}", $"example. 3600 IN DS {zone.KskTag} 1 2 {new string('E', 64)}");
        Assert.Equal(DnssecStatus.Insecure, alg.Status);
        Assert.Equal(ReasonCodes.UnsupportedAlgorithm, alg.Reason!.Code);
        Assert.Equal(1, alg.Reason.ExtendedDnsError);
        var digest = Match(zone, $"example. 3600 IN DS {zone.KskTag} 13 3 {new string('E', 64)}", $"example. 3600 IN DS {zone.KskTag} 13 9 {new string('E', 64)}");
        Assert.Equal(DnssecStatus.Insecure, digest.Status);
        Assert.Equal(ReasonCodes.UnsupportedDigest, digest.Reason!.Code);
        Assert.Equal(2, digest.Reason.ExtendedDnsError);
    }

    [Fact]
    public void Match_DnskeyRrsetSignedOnlyByZsk_BogusNoValidSignature()
    {
        using var zone = new TestZone("example.");
        var ds = DsRecord.From(ResourceRecord.Parse(zone.Ds()));
        var result = DsMatcher.Match(zone.Name, new[] { ds }, Array.Empty<DnskeyRecord>(), zone.DnskeyRrset,
            new[] { RrsigRecord.From(zone.Sign(zone.DnskeyRrset, withKsk: false)) }, Verifier(TestHierarchy.Now));
        Assert.Equal(DnssecStatus.Bogus, result.Status);
        Assert.Equal(ReasonCodes.NoValidSignature, result.Reason!.Code);
    }

    [Fact]
    public void Match_DnskeyAnchor_TrustsIdenticalKey()
    {
        var records = Rfc5155Zone.Set("example.", DnsRecordType.DNSKEY);
        var anchor = DnskeyRecord.From(ResourceRecord.Parse(Rfc5155Zone.KskAnchor));
        var keys = records.Where(r => r.Type == DnsRecordType.DNSKEY).ToList();
        var sigs = records.Where(r => r.Type == DnsRecordType.RRSIG).Select(RrsigRecord.From).ToList();
        var result = DsMatcher.Match(DnsName.Parse("example."), Array.Empty<DsRecord>(), new[] { anchor }, keys, sigs, Verifier(Rfc5155Zone.ValidationTime));
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Equal(2, result.Keys.Count);
        Assert.Contains(result.Warnings, w => w.Contains("RFC 9905"));
        var strict = DsMatcher.Match(DnsName.Parse("example."), Array.Empty<DsRecord>(), new[] { anchor }, keys, sigs, Verifier(Rfc5155Zone.ValidationTime, strict: true));
        Assert.Equal(DnssecStatus.Insecure, strict.Status);
    }

    [Fact]
    public void Match_Rfc5155ComputedDs_BothDigestsAuthenticateTheKeySet()
    {
        // rfc5155.json dnskeys[].computed_ds_sha1/sha256 for the KSK 12708.
        var ksk = Rfc5155Zone.Json.GetProperty("example_zone").GetProperty("dnskeys").EnumerateArray().Single(k => k.GetProperty("key_tag").GetInt32() == 12708);
        var records = Rfc5155Zone.Set("example.", DnsRecordType.DNSKEY);
        foreach (var (type, digest) in new[] { (1, ksk.GetProperty("computed_ds_sha1").GetString()), (2, ksk.GetProperty("computed_ds_sha256").GetString()) })
        {
            var ds = DsRecord.From(ResourceRecord.Parse($"example. 3600 IN DS 12708 7 {type} {digest}"));
            var result = DsMatcher.Match(DnsName.Parse("example."), new[] { ds }, Array.Empty<DnskeyRecord>(),
                records.Where(r => r.Type == DnsRecordType.DNSKEY).ToList(), records.Where(r => r.Type == DnsRecordType.RRSIG).Select(RrsigRecord.From).ToList(),
                Verifier(Rfc5155Zone.ValidationTime));
            Assert.Equal(DnssecStatus.Secure, result.Status);
            Assert.True(result.DsInfos.Single().MatchesKey);
        }
    }
}
