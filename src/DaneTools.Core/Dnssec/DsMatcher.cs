using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>The outcome of authenticating a zone's DNSKEY RRset from its DS set or DNSKEY anchors.</summary>
internal sealed class DsMatchResult
{
    public DnssecStatus Status { get; set; }

    public ValidationReason? Reason { get; set; }

    /// <summary>The validated DNSKEY RRset (Secure only).</summary>
    public IReadOnlyList<DnskeyRecord> Keys { get; set; } = Array.Empty<DnskeyRecord>();

    public List<DnssecDsInfo> DsInfos { get; } = new();

    public List<DnssecKeyInfo> KeyInfos { get; } = new();

    public List<DnssecSignatureInfo> Signatures { get; } = new();

    public List<string> Warnings { get; } = new();

    public RrsetCheck? Check { get; set; }
}

/// <summary>
/// Authenticates a zone's DNSKEY RRset from the DS RRset of its parent or from trust anchors (RFC 4035 section 5.2).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A DS is usable when its digest type (1, 2, 4) and algorithm are supported. When the DS RRset holds a SHA-256
/// DS, its SHA-1 DS records are ignored, for the whole RRset (RFC 4509 section 3).</item>
/// <item>No usable DS: the zone is Insecure, as if unsigned (RFC 4035 section 5.2, RFC 6840 section 5.2).</item>
/// <item>Any usable DS that matches a zone key (REVOKE clear) whose RRSIG verifies the DNSKEY RRset makes it Secure:
/// one valid path suffices (RFC 6840 section 5.11). Otherwise the zone is Bogus: a usable algorithm failed, whatever
/// unsupported algorithms sit beside it.</item>
/// </list>
/// </remarks>
internal static class DsMatcher
{
    public static DsMatchResult Match(
        DnsName zone,
        IReadOnlyList<DsRecord> dsSet,
        IReadOnlyList<DnskeyRecord> anchorKeys,
        IReadOnlyList<ResourceRecord> dnskeyRrset,
        IReadOnlyList<RrsigRecord> rrsigs,
        RrsetVerifier verifier)
    {
        var result = new DsMatchResult();
        var keys = dnskeyRrset.Where(r => r.Type == DnsRecordType.DNSKEY && r.Owner.Equals(zone))
            .Select(r => DnskeyRecord.TryFrom(r, out var k) ? k : null).Where(k => k is not null).Select(k => k!).ToList();

        bool hasSha256 = dsSet.Any(d => d.DigestType == DsDigestType.Sha256);
        var usableDs = dsSet.Where(d => DsDigest.IsSupported(d.DigestType) && verifier.IsAlgorithmUsable(d.Algorithm)
            && !(hasSha256 && d.DigestType == DsDigestType.Sha1)).ToList();
        var usableAnchorKeys = anchorKeys.Where(k => verifier.IsAlgorithmUsable(k.Algorithm)).ToList();

        // Keys trusted by a DS digest or by being a DNSKEY anchor.
        var trusted = new List<DnskeyRecord>();
        var matchedDs = new HashSet<DsRecord>();
        bool digestMismatch = false, revokedMatch = false;
        foreach (var ds in usableDs)
        {
            foreach (var key in keys.Where(k => k.KeyTag == ds.KeyTag && k.Algorithm == ds.Algorithm))
            {
                if (DsDigest.Matches(ds, key))
                {
                    matchedDs.Add(ds);
                    if (key.IsZoneKey && !key.IsRevoked && key.Protocol == 3)
                    {
                        if (!trusted.Contains(key)) trusted.Add(key);
                    }
                    else
                    {
                        revokedMatch = true;
                    }
                }
                else
                {
                    digestMismatch = true;
                }
            }
        }
        foreach (var anchor in usableAnchorKeys)
        {
            var key = keys.FirstOrDefault(k => k.Record.RdataBytes.AsSpanEquals(anchor.Record.RdataBytes));
            if (key is not null && key.IsZoneKey && !key.IsRevoked && !trusted.Contains(key)) trusted.Add(key);
        }

        foreach (var ds in dsSet) result.DsInfos.Add(new DnssecDsInfo(ds, usableDs.Contains(ds), matchedDs.Contains(ds)));

        if (dsSet.Any(d => d.Algorithm is DnssecAlgorithm.RsaSha1 or DnssecAlgorithm.RsaSha1Nsec3Sha1)
            || anchorKeys.Any(k => k.Algorithm is DnssecAlgorithm.RsaSha1 or DnssecAlgorithm.RsaSha1Nsec3Sha1))
        {
            result.Warnings.Add(verifier.IsAlgorithmUsable(DnssecAlgorithm.RsaSha1)
                ? $"{zone}: uses RSA/SHA-1 (algorithm 5 or 7), deprecated by RFC 9905; it still validates (use StrictSha1 to refuse it)."
                : $"{zone}: uses RSA/SHA-1 (algorithm 5 or 7), treated as unsupported because StrictSha1 is set (RFC 9905).");
        }

        string zoneText = zone.ToString();
        if (usableDs.Count == 0 && usableAnchorKeys.Count == 0)
        {
            bool anyAlgorithm = dsSet.Any(d => verifier.IsAlgorithmUsable(d.Algorithm)) || anchorKeys.Any(k => verifier.IsAlgorithmUsable(k.Algorithm));
            string code = anyAlgorithm ? ReasonCodes.UnsupportedDigest : ReasonCodes.UnsupportedAlgorithm;
            string what = anyAlgorithm
                ? $"no DS for {zoneText} uses a supported digest type (1, 2, 4)"
                : $"no DS or anchor for {zoneText} uses a supported algorithm ({string.Join(", ", dsSet.Select(d => (byte)d.Algorithm).Concat(anchorKeys.Select(k => (byte)k.Algorithm)).Distinct())})";
            result.Status = DnssecStatus.Insecure;
            result.Reason = ValidationReason.Create(code, zoneText, $"{zoneText} DS", $"The zone is treated as unsigned: {what} (RFC 4035 section 5.2).");
            AddKeyInfos(result, keys, trusted, null);
            return result;
        }

        if (keys.Count == 0)
        {
            result.Status = DnssecStatus.Bogus;
            result.Reason = ValidationReason.Create(ReasonCodes.NoDnskeyForDs, zoneText, $"{zoneText} DNSKEY", $"{zoneText} has a DS set but no DNSKEY RRset was returned.");
            return result;
        }

        if (trusted.Count == 0)
        {
            result.Status = DnssecStatus.Bogus;
            result.Reason = digestMismatch
                ? ValidationReason.Create(ReasonCodes.DsDigestMismatch, zoneText, $"{zoneText} DS",
                    $"A DNSKEY of {zoneText} has the key tag and algorithm of a DS but its digest differs.")
                : revokedMatch
                    ? ValidationReason.Create(ReasonCodes.KeyRevoked, zoneText, $"{zoneText} DNSKEY", $"The DNSKEY matching the DS of {zoneText} is revoked or not a zone key.")
                    : ValidationReason.Create(ReasonCodes.NoDnskeyForDs, zoneText, $"{zoneText} DNSKEY",
                        $"No DNSKEY of {zoneText} matches a usable DS (key tags {string.Join(", ", usableDs.Select(d => d.KeyTag).Distinct())}).");
            AddKeyInfos(result, keys, trusted, null);
            return result;
        }

        var rrset = dnskeyRrset.Where(r => r.Type == DnsRecordType.DNSKEY && r.Owner.Equals(zone)).ToList();
        var check = verifier.Verify(rrset, rrsigs, zone, trusted);
        result.Check = check;
        result.Signatures.AddRange(check.Signatures);
        AddKeyInfos(result, keys, trusted, check.IsSecure ? check.Key : null);
        if (!check.IsSecure)
        {
            result.Status = DnssecStatus.Bogus;
            result.Reason = check.Reason;
            return result;
        }
        result.Status = DnssecStatus.Secure;
        result.Keys = keys;
        return result;
    }

    private static void AddKeyInfos(DsMatchResult result, List<DnskeyRecord> keys, List<DnskeyRecord> trusted, DnskeyRecord? signer)
    {
        foreach (var k in keys) result.KeyInfos.Add(new DnssecKeyInfo(k, trusted.Contains(k), ReferenceEquals(k, signer)));
    }
}
