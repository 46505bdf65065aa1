using System;
using System.Security.Cryptography;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Crypto;

/// <summary>Computes DS digests (RFC 4034 section 5.1.4; SHA-256 RFC 4509; SHA-384 RFC 6605).</summary>
public static class DsDigest
{
    /// <summary>Returns whether a digest type is implemented: SHA-1 (1), SHA-256 (2) and SHA-384 (4).</summary>
    /// <param name="digestType">The DS digest type.</param>
    /// <returns>True for 1, 2 and 4.</returns>
    public static bool IsSupported(DsDigestType digestType) =>
        digestType is DsDigestType.Sha1 or DsDigestType.Sha256 or DsDigestType.Sha384;

    /// <summary>Computes digest = hash(canonical owner name | DNSKEY RDATA).</summary>
    /// <param name="digestType">The digest type.</param>
    /// <param name="owner">The DNSKEY owner name (lower-cased here).</param>
    /// <param name="dnskeyRdata">The DNSKEY wire RDATA.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="NotSupportedException"><paramref name="digestType"/> is not 1, 2 or 4.</exception>
    public static byte[] Compute(DsDigestType digestType, DnsName owner, byte[] dnskeyRdata)
    {
        if (owner is null) throw new ArgumentNullException(nameof(owner));
        if (dnskeyRdata is null) throw new ArgumentNullException(nameof(dnskeyRdata));
        var name = owner.ToCanonicalWire();
        var input = new byte[name.Length + dnskeyRdata.Length];
        Buffer.BlockCopy(name, 0, input, 0, name.Length);
        Buffer.BlockCopy(dnskeyRdata, 0, input, name.Length, dnskeyRdata.Length);
        using HashAlgorithm hash = digestType switch
        {
            DsDigestType.Sha1 => SHA1.Create(),
            DsDigestType.Sha256 => SHA256.Create(),
            DsDigestType.Sha384 => SHA384.Create(),
            _ => throw new NotSupportedException($"DS digest type {(byte)digestType} is not supported."),
        };
        return hash.ComputeHash(input);
    }

    /// <summary>Returns whether a DS record's digest matches a DNSKEY (key tag, algorithm and digest), in fixed time for the digest.</summary>
    /// <param name="ds">The DS record.</param>
    /// <param name="key">The DNSKEY.</param>
    /// <returns>True when they match; false when they do not or the digest type is unsupported.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool Matches(DsRecord ds, DnskeyRecord key)
    {
        if (ds is null) throw new ArgumentNullException(nameof(ds));
        if (key is null) throw new ArgumentNullException(nameof(key));
        if (ds.KeyTag != key.KeyTag || ds.Algorithm != key.Algorithm || !IsSupported(ds.DigestType)) return false;
        if (!ds.Owner.Equals(key.Owner)) return false;
        return Hex.FixedTimeEquals(Compute(ds.DigestType, key.Owner, key.Record.RdataBytes), ds.Digest);
    }
}
