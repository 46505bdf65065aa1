using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Tests.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Crypto;

public class DsDigestTests
{
    public static TheoryData<string, int, string> DigestVectors()
    {
        var data = new TheoryData<string, int, string>();
        // RFC 4034 5.4 (SHA-1), RFC 4509 2.3 (SHA-256), RFC 6605 6.1/6.2 (SHA-256/SHA-384), RFC 8080 6 (SHA-256).
        foreach (var file in new[] { "rfc4034.json", "rfc4509.json", "rfc6605.json", "rfc8080.json" })
        {
            foreach (var c in ConformanceData.RfcVectors(file).GetProperty("cases").EnumerateArray())
            {
                var records = c.GetProperty("records").EnumerateArray().ToList();
                var ds = records.FirstOrDefault(r => r.GetProperty("type").GetString() == "DS");
                if (ds.ValueKind == System.Text.Json.JsonValueKind.Undefined) continue;
                var dsRecord = DsRecord.From(ResourceRecord.Parse(ConformanceData.Line(ds)));
                data.Add(ConformanceData.Line(records.First(r => r.GetProperty("type").GetString() == "DNSKEY")), (int)dsRecord.DigestType, dsRecord.DigestHex);
            }
        }
        // IANA root anchors: the published SHA-256 digests, plus the SHA-1/SHA-384 digests the file derives (checked with dnssec-dsfromkey).
        foreach (var a in ConformanceData.RfcVectors("iana-root-anchors.json").GetProperty("anchors").EnumerateArray())
        {
            var key = ConformanceData.Line(a.GetProperty("dnskey_record"));
            var e = a.GetProperty("expected");
            data.Add(key, 2, a.GetProperty("Digest").GetString()!);
            data.Add(key, 1, e.GetProperty("derived_sha1_digest").GetString()!);
            data.Add(key, 4, e.GetProperty("derived_sha384_digest").GetString()!);
        }
        foreach (var k in ConformanceData.RfcVectors("rfc5155.json").GetProperty("example_zone").GetProperty("dnskeys").EnumerateArray())
        {
            var line = $"example. 3600 IN DNSKEY {k.GetProperty("flags").GetInt32()} 3 7 {k.GetProperty("public_key_b64").GetString()}";
            data.Add(line, 1, k.GetProperty("computed_ds_sha1").GetString()!);
            data.Add(line, 2, k.GetProperty("computed_ds_sha256").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DigestVectors))]
    public void Compute_ConformanceKeys_MatchesDigest(string dnskeyLine, int digestType, string expectedHex)
    {
        var key = ResourceRecord.Parse(dnskeyLine);
        Assert.Equal(expectedHex.ToUpperInvariant(), Hex.Encode(DsDigest.Compute((DsDigestType)digestType, key.Owner, key.GetRdata())));
    }

    [Fact]
    public void Compute_OwnerCase_Ignored()
    {
        var key = ResourceRecord.Parse("DSKEY.Example.COM. 86400 IN DNSKEY 256 3 5 AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==");
        Assert.Equal("2BB183AF5F22588179A53B0A98631FAD1A292118", Hex.Encode(DsDigest.Compute(DsDigestType.Sha1, key.Owner, key.GetRdata())));
    }

    [Fact]
    public void Matches_RootAnchor_TrueAndFalseForOtherKey()
    {
        var anchors = ConformanceData.RfcVectors("iana-root-anchors.json").GetProperty("anchors").EnumerateArray().ToList();
        var ds = DsRecord.From(ResourceRecord.Parse(ConformanceData.Line(anchors[1].GetProperty("ds_record"))));
        Assert.True(DsDigest.Matches(ds, DnskeyRecord.From(ResourceRecord.Parse(ConformanceData.Line(anchors[1].GetProperty("dnskey_record"))))));
        Assert.False(DsDigest.Matches(ds, DnskeyRecord.From(ResourceRecord.Parse(ConformanceData.Line(anchors[2].GetProperty("dnskey_record"))))));
    }

    [Fact]
    public void IsSupported_OnlySha1Sha256Sha384()
    {
        Assert.True(DsDigest.IsSupported(DsDigestType.Sha1));
        Assert.True(DsDigest.IsSupported(DsDigestType.Sha256));
        Assert.True(DsDigest.IsSupported(DsDigestType.Sha384));
        Assert.False(DsDigest.IsSupported(DsDigestType.Gost));
        Assert.False(DsDigest.IsSupported((DsDigestType)5));
        Assert.Throws<System.NotSupportedException>(() => DsDigest.Compute(DsDigestType.Gost, DnsName.Root, new byte[4]));
    }
}
