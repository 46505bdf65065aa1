using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>
/// A test zone with ECDSA P-256 keys (System.Security.Cryptography) that signs RRsets for in-memory record sources.
/// Signing happens only in tests; verification is always the product's.
/// </summary>
internal sealed class TestZone : IDisposable
{
    public static readonly DateTime DefaultInception = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime DefaultExpiration = new(2028, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly ECDsa _ksk;
    private readonly ECDsa _zsk;

    /// <summary>Creates the zone with fresh keys, or with keys derived from <paramref name="keySeed"/> (same seed, same keys, same key tags: the fuzzer's worlds replay across processes).</summary>
    public TestZone(string name, ushort kskFlags = 257, ushort zskFlags = 256, int? keySeed = null)
    {
        Name = DnsName.Parse(name);
        _ksk = keySeed is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : DerivedKey($"{keySeed}|{Name}|ksk");
        _zsk = keySeed is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : DerivedKey($"{keySeed}|{Name}|zsk");
        Ksk = ResourceRecord.Parse($"{Name} 3600 IN DNSKEY {kskFlags} 3 13 {Convert.ToBase64String(PublicKey(_ksk))}");
        Zsk = ResourceRecord.Parse($"{Name} 3600 IN DNSKEY {zskFlags} 3 13 {Convert.ToBase64String(PublicKey(_zsk))}");
    }

    public DnsName Name { get; }

    public ResourceRecord Ksk { get; private set; }

    public ResourceRecord Zsk { get; }

    public ushort KskTag => KeyTag.Compute(Ksk.GetRdata());

    public ushort ZskTag => KeyTag.Compute(Zsk.GetRdata());

    public List<ResourceRecord> ExtraKeys { get; } = new();

    public List<ResourceRecord> DnskeyRrset => new List<ResourceRecord> { Ksk, Zsk }.Concat(ExtraKeys).ToList();

    /// <summary>Replaces the KSK record (e.g. to set the REVOKE flag); the private key stays the same.</summary>
    public void SetKskFlags(ushort flags) => Ksk = ResourceRecord.Parse($"{Name} 3600 IN DNSKEY {flags} 3 13 {Convert.ToBase64String(PublicKey(_ksk))}");

    // d = SHA-256(text) (below the P-256 order for all but a 2^-32 fraction of inputs), Q = dG computed with BouncyCastle.
    private static ECDsa DerivedKey(string text)
    {
        var d = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        var curve = Org.BouncyCastle.Asn1.Nist.NistNamedCurves.GetByName("P-256");
        var q = curve.G.Multiply(new Org.BouncyCastle.Math.BigInteger(1, d)).Normalize();
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = d,
            Q = new ECPoint { X = q.AffineXCoord.GetEncoded(), Y = q.AffineYCoord.GetEncoded() },
        });
    }

    public static byte[] PublicKey(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return p.Q.X!.Concat(p.Q.Y!).ToArray();
    }

    public string Ds(DsDigestType digestType = DsDigestType.Sha256, ResourceRecord? key = null)
    {
        key ??= Ksk;
        var digest = DsDigest.Compute(digestType, Name, key.GetRdata());
        return $"{Name} 3600 IN DS {KeyTag.Compute(key.GetRdata())} 13 {(byte)digestType} {Hex.Encode(digest)}";
    }

    /// <summary>Signs an RRset; the KSK signs DNSKEY RRsets unless <paramref name="withKsk"/> says otherwise.</summary>
    public ResourceRecord Sign(IReadOnlyList<ResourceRecord> rrset, bool? withKsk = null, DateTime? inception = null, DateTime? expiration = null,
        int? labels = null, ushort? keyTag = null, DnsName? signer = null, uint? originalTtl = null)
    {
        var first = rrset[0];
        bool ksk = withKsk ?? first.Type == DnsRecordType.DNSKEY;
        var key = ksk ? _ksk : _zsk;
        var tag = keyTag ?? (ksk ? KskTag : ZskTag);
        int l = labels ?? (first.Owner.LabelCount - (first.Owner.IsWildcard ? 1 : 0));
        var rdata = $"{DnsRecordTypeText.ToText(first.Type)} 13 {l} {originalTtl ?? first.Ttl} {Time(expiration ?? DefaultExpiration)} {Time(inception ?? DefaultInception)} {tag} {signer ?? Name} ";
        var unsigned = RrsigRecord.From(ResourceRecord.Parse($"{first.Owner} {first.Ttl} IN RRSIG {rdata}AA=="));
        var data = SignedDataFor(unsigned, rrset, l);
        var signature = key.SignData(data, HashAlgorithmName.SHA256);
        return ResourceRecord.Parse($"{first.Owner} {first.Ttl} IN RRSIG {rdata}{Convert.ToBase64String(signature)}");
    }

    /// <summary>Parses lines, groups them into RRsets and returns them each followed by its RRSIG.</summary>
    public List<ResourceRecord> Signed(params string[] lines)
    {
        var records = lines.Select(ResourceRecord.Parse).ToList();
        var output = new List<ResourceRecord>();
        foreach (var g in records.GroupBy(r => (r.Owner, r.Type)))
        {
            output.AddRange(g);
            output.Add(Sign(g.ToList()));
        }
        return output;
    }

    public List<ResourceRecord> SignedDnskeys() => DnskeyRrset.Concat(new[] { Sign(DnskeyRrset) }).ToList();

    private static byte[] SignedDataFor(RrsigRecord sig, IReadOnlyList<ResourceRecord> rrset, int labels)
    {
        if (labels <= rrset[0].Owner.LabelCount) return SignedData.Build(sig, rrset);
        // Labels above the owner's count (a deliberately bad RRSIG): sign the owner as it is.
        var data = new List<byte>(sig.GetSignedDataPrefix());
        foreach (var rr in CanonicalOrder.SortRrset(rrset))
        {
            var rd = rr.GetCanonicalRdata();
            data.AddRange(rr.Owner.ToCanonicalWire());
            data.AddRange(new[] { (byte)((ushort)rr.Type >> 8), (byte)rr.Type, (byte)0, (byte)1 });
            data.AddRange(BitConverter.GetBytes(sig.OriginalTtl).Reverse());
            data.Add((byte)(rd.Length >> 8));
            data.Add((byte)rd.Length);
            data.AddRange(rd);
        }
        return data.ToArray();
    }

    public static string Time(DateTime t) => t.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _ksk.Dispose();
        _zsk.Dispose();
    }
}
