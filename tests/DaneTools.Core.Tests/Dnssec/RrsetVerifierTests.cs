using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Tests.Crypto;
using DaneTools.Core.Tests.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class RrsetVerifierTests
{
    private static RrsetVerifier Verifier(DateTime at, Action<DnssecValidatorOptions>? configure = null)
    {
        var options = new DnssecValidatorOptions { ValidationTime = at };
        configure?.Invoke(options);
        var settings = options.Snapshot(new FixedClock(at));
        return new RrsetVerifier(new DnssecSignatureVerifier(), settings, new WorkBudget(settings));
    }

    private static void NoSkew(DnssecValidatorOptions o)
    {
        o.MinInceptionSkewSeconds = 0;
        o.MaxInceptionSkewSeconds = 0;
    }

    [Fact]
    public void Verify_InceptionOneSecondAhead_AcceptedWithinTheDefaultAllowance()
    {
        // The RFC 4034 section 3.3 RRSIG one second before its inception: strictly outside the window, inside the
        // default clock-skew allowance (Unbound's rule), so Secure with a warning.
        var c = CryptoVectors.All().Single(x => x.Id == "rfc4034-3.3 derived RRset");
        var key = DnskeyRecord.From(ResourceRecord.Parse(c.Dnskey));
        var verifier = Verifier(Utc("2003-02-20T17:31:02Z"));
        var check = verifier.Verify(c.Rrset.Select(ResourceRecord.Parse).ToList(), new[] { RrsigRecord.From(ResourceRecord.Parse(c.Rrsig)) }, key.Owner, new[] { key });
        Assert.True(check.IsSecure);
        Assert.Contains("1 minute ahead", Assert.Single(verifier.Warnings));
    }

    private static DateTime Utc(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public static TheoryData<string, string, bool> ValidityVectors()
    {
        // Every "validity_at" entry of the conformance files: the RRSIG must verify exactly inside its window.
        var data = new TheoryData<string, string, bool>();
        foreach (var file in new[] { "rfc4034.json", "rfc5702.json", "rfc6605.json" })
        {
            foreach (var c in ConformanceData.RfcVectors(file).GetProperty("cases").EnumerateArray())
            {
                if (!c.GetProperty("expected").TryGetProperty("validity_at", out var at)) continue;
                var id = c.GetProperty("id").GetString()!;
                var caseId = id == "rfc4034-3.3-rrsig-host.example.com-A" ? "rfc4034-3.3 derived RRset" : id;
                foreach (var p in at.EnumerateObject()) data.Add(caseId, p.Name, p.Value.GetBoolean());
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidityVectors))]
    public void Verify_ConformanceSignatureAtTime_ValidOnlyInsideWindow(string caseId, string time, bool expected)
    {
        var c = CryptoVectors.All().Single(x => x.Id == caseId);
        var key = DnskeyRecord.From(ResourceRecord.Parse(c.Dnskey));
        // The RFC's window itself, without the clock-skew allowance (ClockSkewTests covers that).
        var check = Verifier(Utc(time), NoSkew).Verify(c.Rrset.Select(ResourceRecord.Parse).ToList(), new[] { RrsigRecord.From(ResourceRecord.Parse(c.Rrsig)) }, key.Owner, new[] { key });
        Assert.Equal(expected, check.IsSecure);
        if (!expected)
        {
            // RFC 4034 3.3's note: outside the window it is an expired (or not yet valid) RRSIG, not a bad signature.
            Assert.Contains(check.Reason!.Code, new[] { ReasonCodes.RrsigExpired, ReasonCodes.RrsigNotYetValid });
        }
    }

    [Theory]
    [InlineData("2010-01-01T00:00:00Z", true)]
    [InlineData("2016-01-01T00:00:00Z", false)]
    [InlineData("2005-01-01T00:00:00Z", false)]
    public void Verify_Rfc5155ZoneAtTime_AllThirtyRrsigsFollowValidityAt(string time, bool expected)
    {
        // rfc5155.json example_zone.expected.validity_at.
        var json = Rfc5155Zone.Json.GetProperty("example_zone").GetProperty("expected").GetProperty("validity_at");
        Assert.Equal(expected, json.GetProperty(time).GetBoolean());
        var records = Rfc5155Zone.Records;
        var keys = records.Where(r => r.Type == DnsRecordType.DNSKEY).Select(DnskeyRecord.From).ToList();
        var verifier = Verifier(Utc(time));
        int checkedSigs = 0;
        foreach (var sig in records.Where(r => r.Type == DnsRecordType.RRSIG).Select(RrsigRecord.From))
        {
            var rrset = records.Where(r => r.Owner.Equals(sig.Owner) && r.Type == sig.TypeCovered).ToList();
            Assert.Equal(expected, verifier.Verify(rrset, new[] { sig }, DnsName.Parse("example."), keys).IsSecure);
            checkedSigs++;
        }
        Assert.Equal(30, checkedSigs);
    }

    public static IEnumerable<object[]> Rfc8080Ids() => CryptoVectors.Rfc8080().Select(c => new object[] { c.Id });

    [Theory]
    [MemberData(nameof(Rfc8080Ids))]
    public void Verify_Rfc8080RrsigWithLabels3OnTwoLabelOwner_BogusRrsigLabelsExceedOwner(string id)
    {
        // rfc8080.json "strict_rfc4035_validation": bogus, Labels 3 exceeds the 2 labels of example.com.
        var c = CryptoVectors.Rfc8080().Single(x => x.Id == id);
        Assert.StartsWith("bogus", c.Case.GetProperty("expected").GetProperty("strict_rfc4035_validation").GetString());
        var key = DnskeyRecord.From(ResourceRecord.Parse(c.Dnskey));
        var at = Utc(c.Case.GetProperty("validation_time").GetProperty("suggested_validation_time_utc").GetString()!);
        var check = Verifier(at).Verify(new[] { ResourceRecord.Parse(c.Mx) }, new[] { RrsigRecord.From(ResourceRecord.Parse(c.Rrsig)) }, key.Owner, new[] { key });
        Assert.False(check.IsSecure);
        Assert.Equal(ReasonCodes.RrsigLabelsExceedOwner, check.Reason!.Code);
        Assert.Equal(0, check.Signatures.Count(s => s.Outcome == "Valid"));
    }

    [Theory]
    [InlineData("2106-06-01T00:00:00Z", true, "")]
    [InlineData("2105-12-31T00:00:00Z", false, ReasonCodes.RrsigNotYetValid)]
    [InlineData("2107-01-02T00:00:00Z", false, ReasonCodes.RrsigExpired)]
    public void Verify_WindowAcrossThe2106Wrap_SerialArithmetic(string time, bool expected, string code)
    {
        // 2^32 seconds after 1970 is 2106-02-07T06:28:16Z: the expiration field wraps below the inception field.
        using var zone = new TestZone("example.");
        var rrset = new[] { ResourceRecord.Parse("www.example. 300 IN A 192.0.2.1") };
        var sig = RrsigRecord.From(zone.Sign(rrset, inception: Utc("2106-01-01T00:00:00Z"), expiration: Utc("2107-01-01T00:00:00Z")));
        Assert.True(sig.Expiration < sig.Inception);
        var check = Verifier(Utc(time), NoSkew).Verify(rrset, new[] { sig }, zone.Name, new[] { DnskeyRecord.From(zone.Zsk) });
        Assert.Equal(expected, check.IsSecure);
        Assert.Equal(code, check.Reason?.Code ?? string.Empty);
    }

    [Fact]
    public void Verify_InceptionAfterExpiration_RrsigExpiredBeforeValid()
    {
        using var zone = new TestZone("example.");
        var rrset = new[] { ResourceRecord.Parse("www.example. 300 IN A 192.0.2.1") };
        var sig = RrsigRecord.From(zone.Sign(rrset, inception: Utc("2027-06-01T00:00:00Z"), expiration: Utc("2027-01-01T00:00:00Z")));
        var check = Verifier(Utc("2027-03-01T00:00:00Z")).Verify(rrset, new[] { sig }, zone.Name, new[] { DnskeyRecord.From(zone.Zsk) });
        Assert.Equal(ReasonCodes.RrsigExpiredBeforeValid, check.Reason!.Code);
        Assert.Equal(25, check.Reason.ExtendedDnsError);
    }

    [Theory]
    [InlineData(256 | 0x80, ReasonCodes.KeyRevoked)]
    [InlineData(0, ReasonCodes.NoZoneKeyBit)]
    public void Verify_KeyRevokedOrNotZoneKey_Refused(int flags, string code)
    {
        using var zone = new TestZone("example.", zskFlags: (ushort)flags);
        var rrset = new[] { ResourceRecord.Parse("www.example. 300 IN A 192.0.2.1") };
        var sig = RrsigRecord.From(zone.Sign(rrset));
        var check = Verifier(Utc("2027-01-01T00:00:00Z")).Verify(rrset, new[] { sig }, zone.Name, new[] { DnskeyRecord.From(zone.Zsk) });
        Assert.False(check.IsSecure);
        Assert.Equal(code, check.Reason!.Code);
    }

    [Fact]
    public void Verify_OriginalTtlAndReceivedTtl_SignedDataUsesOriginalTtl()
    {
        // A resolver counts TTLs down; the signature covers the Original TTL (RFC 4034 3.1.8.1 / RFC 4035 5.3.2).
        using var zone = new TestZone("example.");
        var rrset = new[] { ResourceRecord.Parse("www.example. 300 IN A 192.0.2.1") };
        var sig = RrsigRecord.From(zone.Sign(rrset));
        var counted = new[] { rrset[0].WithTtl(17) };
        Assert.True(Verifier(Utc("2027-01-01T00:00:00Z")).Verify(counted, new[] { sig }, zone.Name, new[] { DnskeyRecord.From(zone.Zsk) }).IsSecure);
    }

    [Fact]
    public void Verify_MixedCaseOwnerAndRdataNames_CanonicalFormVerifies()
    {
        using var zone = new TestZone("example.");
        var rrset = new[] { ResourceRecord.Parse("www.example. 300 IN MX 10 Mail.EXAMPLE.") };
        var sig = RrsigRecord.From(zone.Sign(rrset));
        var upper = new[] { ResourceRecord.Parse("WWW.Example. 300 IN MX 10 mail.example.") };
        var sigUpper = RrsigRecord.From(ResourceRecord.Parse(sig.Record.ToString().Replace("www.example.", "WWW.Example.")));
        Assert.True(Verifier(Utc("2027-01-01T00:00:00Z")).Verify(upper, new[] { sigUpper }, zone.Name, new[] { DnskeyRecord.From(zone.Zsk) }).IsSecure);
    }

    [Fact]
    public void Verify_LiteralWildcardOwner_IsNotAnExpansion()
    {
        using var zone = new TestZone("example.");
        var rrset = new[] { ResourceRecord.Parse("*.w.example. 300 IN A 192.0.2.1") };
        var check = Verifier(Utc("2027-01-01T00:00:00Z")).Verify(rrset, new[] { RrsigRecord.From(zone.Sign(rrset)) }, zone.Name, new[] { DnskeyRecord.From(zone.Zsk) });
        Assert.True(check.IsSecure);
        Assert.Equal(2, check.Signature!.Labels);
        Assert.False(check.IsWildcardExpansion(rrset[0].Owner));
        Assert.True(check.IsWildcardExpansion(DnsName.Parse("a.w.example.")));
    }

    [Fact]
    public void Verify_LabelsBelowSignerLabelCount_BogusWildcardOutsideZone()
    {
        // RFC 4035 5.3.1-5.3.2: Labels 0 on www.example. signed by example. claims the wildcard "*." above the zone; the
        // signature over that owner verifies, yet no RRset of example. can come from it.
        using var zone = new TestZone("example.");
        var rrset = new[] { ResourceRecord.Parse("www.example. 300 IN A 192.0.2.1") };
        var check = Verifier(Utc("2027-01-01T00:00:00Z")).Verify(rrset, new[] { RrsigRecord.From(zone.Sign(rrset, labels: 0)) }, zone.Name, new[] { DnskeyRecord.From(zone.Zsk) });
        Assert.False(check.IsSecure);
        Assert.Equal(ReasonCodes.NoValidSignature, check.Reason!.Code);
        Assert.Contains("outside the zone", check.Reason.Message);
        // Labels equal to the signer's count (the apex wildcard *.example.) stays valid.
        Assert.True(Verifier(Utc("2027-01-01T00:00:00Z")).Verify(rrset, new[] { RrsigRecord.From(zone.Sign(rrset, labels: 1)) }, zone.Name, new[] { DnskeyRecord.From(zone.Zsk) }).IsSecure);
    }

    [Fact]
    public void Verify_StrictSha1_Rsasha1SignatureIgnored()
    {
        var c = CryptoVectors.All().First(x => x.Id.StartsWith("rfc5155 ns1.example."));
        var key = DnskeyRecord.From(ResourceRecord.Parse(c.Dnskey));
        var at = Rfc5155Zone.ValidationTime;
        var rrset = c.Rrset.Select(ResourceRecord.Parse).ToList();
        var sigs = new[] { RrsigRecord.From(ResourceRecord.Parse(c.Rrsig)) };
        Assert.True(Verifier(at).Verify(rrset, sigs, key.Owner, new[] { key }).IsSecure);
        var strict = Verifier(at, o => o.StrictSha1 = true).Verify(rrset, sigs, key.Owner, new[] { key });
        Assert.False(strict.IsSecure);
        Assert.Equal("UnsupportedAlgorithm", strict.Signatures.Single().Outcome);
    }

    [Fact]
    public void Verify_NoRrsig_MissingRrsig()
    {
        var check = Verifier(Utc("2027-01-01T00:00:00Z")).Verify(new[] { ResourceRecord.Parse("www.example. 300 IN A 192.0.2.1") }, Array.Empty<RrsigRecord>(), DnsName.Parse("example."), Array.Empty<DnskeyRecord>());
        Assert.Equal(ReasonCodes.MissingRrsig, check.Reason!.Code);
        Assert.Equal(10, check.Reason.ExtendedDnsError);
    }
}
