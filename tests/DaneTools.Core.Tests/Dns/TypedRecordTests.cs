using System.Linq;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dns;

public class TypedRecordTests
{
    public static TheoryData<string, int> KeyTagVectors()
    {
        var data = new TheoryData<string, int>();
        // RFC 4509 repeats RFC 4034's dskey.example.com key: each key once, so no theory case is skipped as a duplicate.
        var seen = new System.Collections.Generic.HashSet<string>();
        foreach (var file in new[] { "rfc4034.json", "rfc4509.json", "rfc5702.json", "rfc6605.json", "rfc8080.json" })
        {
            foreach (var c in ConformanceData.RfcVectors(file).GetProperty("cases").EnumerateArray())
            {
                if (!c.GetProperty("expected").TryGetProperty("key_tag", out var tag)) continue;
                var key = c.GetProperty("records").EnumerateArray().First(r => r.GetProperty("type").GetString() == "DNSKEY");
                if (seen.Add(ConformanceData.Line(key))) data.Add(ConformanceData.Line(key), tag.GetInt32());
            }
        }
        foreach (var a in ConformanceData.RfcVectors("iana-root-anchors.json").GetProperty("anchors").EnumerateArray())
        {
            data.Add(ConformanceData.Line(a.GetProperty("dnskey_record")), a.GetProperty("expected").GetProperty("computed_key_tag").GetInt32());
        }
        foreach (var k in ConformanceData.RfcVectors("rfc5155.json").GetProperty("example_zone").GetProperty("dnskeys").EnumerateArray())
        {
            data.Add($"{k.GetProperty("owner").GetString()} 3600 IN DNSKEY {k.GetProperty("flags").GetInt32()} 3 {k.GetProperty("algorithm").GetInt32()} {k.GetProperty("public_key_b64").GetString()}", k.GetProperty("key_tag").GetInt32());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KeyTagVectors))]
    public void KeyTag_ConformanceDnskeys_MatchesPublishedTag(string line, int expectedTag)
    {
        Assert.Equal(expectedTag, DnskeyRecord.From(ResourceRecord.Parse(line)).KeyTag);
    }

    [Fact]
    public void Dnskey_Flags_ZoneSepRevoke()
    {
        var ksk = DnskeyRecord.From(ResourceRecord.Parse("example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=="));
        Assert.True(ksk.IsZoneKey);
        Assert.True(ksk.IsSecureEntryPoint);
        Assert.False(ksk.IsRevoked);
        Assert.Equal(DnssecAlgorithm.EcdsaP256Sha256, ksk.Algorithm);
        Assert.Equal(64, ksk.PublicKeyLength);
        var revoked = DnskeyRecord.From(ResourceRecord.Parse("example.net. 3600 IN DNSKEY 385 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=="));
        Assert.True(revoked.IsRevoked);
        // RFC 5011 section 7: setting REVOKE changes the key tag (the flags are part of the summed RDATA).
        Assert.Equal((ksk.KeyTag + 128) & 0xFFFF, revoked.KeyTag);
        var nonZone = DnskeyRecord.From(ResourceRecord.Parse("example.net. 3600 IN DNSKEY 1 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=="));
        Assert.False(nonZone.IsZoneKey);
    }

    [Fact]
    public void Rrsig_Fields_FromRfc6605()
    {
        var sig = RrsigRecord.From(ResourceRecord.Parse("www.example.net. 3600 IN RRSIG A 13 3 3600 20100909100439 20100812100439 55648 Example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw=="));
        Assert.Equal(DnsRecordType.A, sig.TypeCovered);
        Assert.Equal(3, sig.Labels);
        Assert.Equal(3600u, sig.OriginalTtl);
        Assert.Equal(1284026679u, sig.Expiration); // rfc6605.json expiration_epoch
        Assert.Equal(1281607479u, sig.Inception);
        Assert.Equal(new System.DateTime(2010, 9, 9, 10, 4, 39, System.DateTimeKind.Utc), sig.ExpirationUtc);
        Assert.Equal(55648, sig.KeyTag);
        Assert.Equal(64, sig.GetSignature().Length);
        Assert.Equal("Example.net.", sig.SignerName.ToString());
        // Signed-data prefix carries the signer in canonical (lower-case) form.
        Assert.EndsWith(Hex.Encode(DnsName.Parse("example.net.").ToWire()), Hex.Encode(sig.GetSignedDataPrefix()));
    }

    [Fact]
    public void Rrsig_EpochSecondsForm_SameAsDateForm()
    {
        var a = RrsigRecord.From(ResourceRecord.Parse("example.com. 3600 IN RRSIG MX 15 3 3600 1440021600 1438207200 3613 example.com. Edk+IB9KNNWg0HAjm7FazXyrd5m3Rk8zNZbvNpAcM+eysqcUOMIjWoevFkjH5GaMWeG96GUVZu6ECKOQmemHDg=="));
        var b = RrsigRecord.From(ResourceRecord.Parse("example.com. 3600 IN RRSIG MX 15 3 3600 20150819220000 20150729220000 3613 example.com. Edk+IB9KNNWg0HAjm7FazXyrd5m3Rk8zNZbvNpAcM+eysqcUOMIjWoevFkjH5GaMWeG96GUVZu6ECKOQmemHDg=="));
        Assert.Equal(a.Expiration, b.Expiration);
        Assert.Equal(a.Inception, b.Inception);
    }

    [Fact]
    public void Ds_Fields()
    {
        var ds = DsRecord.From(ResourceRecord.Parse(". 0 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"));
        Assert.Equal(20326, ds.KeyTag);
        Assert.Equal(DnssecAlgorithm.RsaSha256, ds.Algorithm);
        Assert.Equal(DsDigestType.Sha256, ds.DigestType);
        Assert.Equal("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D", ds.DigestHex);
    }

    [Fact]
    public void Nsec3_Fields_FromRfc5155Zone()
    {
        var n = Nsec3Record.From(ResourceRecord.Parse("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG"));
        Assert.Equal(1, n.HashAlgorithm);
        Assert.True(n.OptOut);
        Assert.Equal(12, n.Iterations);
        Assert.Equal("AABBCCDD", n.SaltHex);
        Assert.Equal("2T7B4G4VSA5SMI47K61MV5BV1A22BOJR", n.NextHashedOwnerName);
        Assert.True(n.HasType(DnsRecordType.SOA));
        Assert.False(n.HasType(DnsRecordType.DS));
        Assert.Equal("0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM", Base32Hex.Encode(n.OwnerHash!));
        var empty = Nsec3Record.From(ResourceRecord.Parse("ji6neoaepv8b5o6k4ev33abha8ht9fgc.example. 3600 IN NSEC3 1 1 12 aabbccdd k8udemvp1j2f7eg6jebps17vp3n8i58h"));
        Assert.Empty(empty.Types);
        var p = Nsec3ParamRecord.From(ResourceRecord.Parse("example. 3600 IN NSEC3PARAM 1 0 12 aabbccdd"));
        Assert.Equal(12, p.Iterations);
        Assert.Equal("AABBCCDD", p.SaltHex);
    }
}
