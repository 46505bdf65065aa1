using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Crypto;

public class DnssecSignatureVerifierTests
{
    public static TheoryData<string> SignatureCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in CryptoVectors.All()) data.Add(c.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public void Verify_ConformanceSignature_MatchesExpected(string id)
    {
        var c = CryptoVectors.All().Single(x => x.Id == id);
        var rrset = c.Rrset.Select(ResourceRecord.Parse).ToList();
        var sig = RrsigRecord.From(ResourceRecord.Parse(c.Rrsig));
        var key = DnskeyRecord.From(ResourceRecord.Parse(c.Dnskey));
        var verifier = new DnssecSignatureVerifier();
        Assert.Equal(c.Valid, verifier.Verify(key.Algorithm, key.GetPublicKey(), SignedData.Build(sig, rrset), sig.GetSignature()));
    }

    [Fact]
    public void Verify_Rfc5155Zone_CoversAllThirtyRrsigs()
    {
        var zone = Dns.ConformanceData.RfcVectors("rfc5155.json").GetProperty("example_zone");
        Assert.Equal(zone.GetProperty("expected").GetProperty("rrsig_count").GetInt32(), CryptoVectors.All().Count(c => c.Id.StartsWith("rfc5155")));
    }

    public static IEnumerable<object[]> Rfc8080Cases() => CryptoVectors.Rfc8080().Select(c => new object[] { c.Id });

    [Theory]
    [MemberData(nameof(Rfc8080Cases))]
    public void Verify_Rfc8080CorrectedRrsig_ValidOnlyWithLabels3(string id)
    {
        var c = CryptoVectors.Rfc8080().Single(x => x.Id == id);
        var expected = c.Case.GetProperty("expected");
        var mx = ResourceRecord.Parse(c.Mx);
        var key = DnskeyRecord.From(ResourceRecord.Parse(c.Dnskey));
        var verifier = new DnssecSignatureVerifier();
        foreach (var labels in new[] { 3, 2 })
        {
            var rrsigRecord = ResourceRecord.Parse(c.Rrsig);
            var rdata = rrsigRecord.GetRdata();
            rdata[3] = (byte)labels;
            var sig = RrsigRecord.From(new ResourceRecord(rrsigRecord.Owner, DnsRecordType.RRSIG, 1, 3600, rdata));
            // Signed data assembled here directly (RFC 4034 3.1.8.1), since the product refuses Labels 3 on a 2-label owner.
            var data = new List<byte>(sig.GetSignedDataPrefix());
            data.AddRange(mx.Owner.ToCanonicalWire());
            data.AddRange(new byte[] { 0, 15, 0, 1, 0, 0, 0x0E, 0x10 });
            var rd = mx.GetCanonicalRdata();
            data.Add((byte)(rd.Length >> 8));
            data.Add((byte)rd.Length);
            data.AddRange(rd);
            var valid = verifier.Verify(key.Algorithm, key.GetPublicKey(), data.ToArray(), sig.GetSignature());
            Assert.Equal(expected.GetProperty($"signature_cryptographically_valid_with_labels_{labels}").GetBoolean(), valid);
        }
    }

    [Fact]
    public void Verify_SameKeyTwice_ParsesKeyOnce()
    {
        var c = CryptoVectors.All().First(x => x.Id == "rfc6605-6.1-ecdsap256");
        var verifier = new DnssecSignatureVerifier();
        var key = DnskeyRecord.From(ResourceRecord.Parse(c.Dnskey));
        var sig = RrsigRecord.From(ResourceRecord.Parse(c.Rrsig));
        var data = SignedData.Build(sig, c.Rrset.Select(ResourceRecord.Parse).ToList());
        Assert.True(verifier.Verify(key.Algorithm, key.GetPublicKey(), data, sig.GetSignature()));
        Assert.True(verifier.Verify(key.Algorithm, key.GetPublicKey(), data, sig.GetSignature()));
        Assert.Equal(1, verifier.CachedKeyCount);
    }

    [Fact]
    public void Verify_TamperedSignedData_False()
    {
        var c = CryptoVectors.All().First(x => x.Id == "rfc6605-6.2-ecdsap384");
        var key = DnskeyRecord.From(ResourceRecord.Parse(c.Dnskey));
        var sig = RrsigRecord.From(ResourceRecord.Parse(c.Rrsig));
        var data = SignedData.Build(sig, c.Rrset.Select(ResourceRecord.Parse).ToList());
        data[data.Length - 1] ^= 1;
        Assert.False(new DnssecSignatureVerifier().Verify(key.Algorithm, key.GetPublicKey(), data, sig.GetSignature()));
    }

    [Theory]
    [InlineData(DnssecAlgorithm.EcdsaP256Sha256, 63)]
    [InlineData(DnssecAlgorithm.EcdsaP256Sha256, 64)] // all zero: not a point on the curve
    [InlineData(DnssecAlgorithm.Ed25519, 31)]
    [InlineData(DnssecAlgorithm.Ed448, 32)]
    [InlineData(DnssecAlgorithm.RsaSha256, 2)]
    [InlineData(DnssecAlgorithm.RsaSha256, 40)] // exponent length 0 => 3-octet form, truncated
    public void Verify_MalformedKey_False(DnssecAlgorithm algorithm, int keyLength)
    {
        Assert.False(new DnssecSignatureVerifier().Verify(algorithm, new byte[keyLength], new byte[] { 1 }, new byte[64]));
    }

    [Fact]
    public void Verify_RsaKeyBelow512Bits_False()
    {
        var key = new byte[1 + 3 + 32];
        key[0] = 3;
        key[1] = 1; key[2] = 0; key[3] = 1;
        key[4] = 0xC0;
        Assert.False(new DnssecSignatureVerifier().Verify(DnssecAlgorithm.RsaSha256, key, new byte[] { 1 }, new byte[32]));
    }

    [Theory]
    [InlineData(DnssecAlgorithm.RsaMd5, false)]
    [InlineData(DnssecAlgorithm.DsaSha1, false)]
    [InlineData(DnssecAlgorithm.DsaNsec3Sha1, false)]
    [InlineData(DnssecAlgorithm.EccGost, false)]
    [InlineData((DnssecAlgorithm)200, false)]
    [InlineData(DnssecAlgorithm.RsaSha1, true)]
    [InlineData(DnssecAlgorithm.RsaSha1Nsec3Sha1, true)]
    [InlineData(DnssecAlgorithm.RsaSha256, true)]
    [InlineData(DnssecAlgorithm.RsaSha512, true)]
    [InlineData(DnssecAlgorithm.EcdsaP256Sha256, true)]
    [InlineData(DnssecAlgorithm.EcdsaP384Sha384, true)]
    [InlineData(DnssecAlgorithm.Ed25519, true)]
    [InlineData(DnssecAlgorithm.Ed448, true)]
    public void IsSupported_Rfc9904Algorithms(DnssecAlgorithm algorithm, bool expected)
    {
        var v = new DnssecSignatureVerifier();
        Assert.Equal(expected, v.IsSupported(algorithm));
        if (!expected) Assert.Throws<System.NotSupportedException>(() => v.Verify(algorithm, new byte[4], new byte[1], new byte[1]));
    }
}
