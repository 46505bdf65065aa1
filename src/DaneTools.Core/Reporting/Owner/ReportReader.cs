using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Reporting.Owner;

// Reads Test-DaneDomain and Test-DnssecChain results (live or deserialised) into the report model, by property name.
internal static class ReportReader
{
    // Type names as PowerShell reports them, not references: this part names no Dane or Dnssec type (ArchitectureTests).
    public const string DaneDomainResultType = "DaneTools.Core" + ".Dane.DaneDomainResult";
    public const string DnssecChainResultType = "DaneTools.Core" + ".Dnssec.DnssecChainResult";

    public static ReportDomain ReadDomain(IResultView r)
    {
        var d = new ReportDomain
        {
            DomainName = Trim(r.Str("DomainName")),
            HasDaneResult = true,
            Status = First(r.Str("StatusText"), r.Str("Status")),
            ReasonCode = r.Str("ReasonCode"),
            Reason = r.Str("Reason"),
            ExchangeOnlineStatus = First(r.Str("ExchangeOnlineStatusText"), r.Str("ExchangeOnlineStatus")),
            ExchangeOnlineNdr = r.Str("ExchangeOnlineNdr"),
            TlsRptResultType = r.Str("TlsRptResultType"),
            TlsRptPolicyType = r.Str("TlsRptPolicyType"),
            CheckedUtc = r.Date("ValidationTimeUtc"),
            DnsOnly = r.Bool("DnsOnly") ?? false,
            MxKind = First(r.Str("MxKindText"), r.Str("MxKind")),
        };
        if (r.Child("MxLookup") is { } mx) d.MxLookup = ReadLookup(mx);
        // Test-DaneDomain's cmdlet adds the resolution path as a note property; the result type itself does not carry it.
        if (r.Str("ResolutionPath") is { Length: > 0 } path) d.Servers.Add(path);
        // Likewise the trust anchors validation started from.
        if (r.Str("TrustAnchorUsed") is { Length: > 0 } anchor) d.TrustAnchors.Add(anchor);
        ReadTxtDerived(r, d);
        d.Warnings.AddRange(r.Texts("Warnings"));
        foreach (var h in r.Children("MxHosts", ref d.DetailCut)) d.Hosts.Add(ReadHost(h, ref d.DetailCut));
        return d;
    }

    // MTA-STS and TLS-RPT: note properties Test-DaneDomain adds unless -SkipMtaSts (DESIGN 6a); absent, nothing is shown.
    private static void ReadTxtDerived(IResultView r, ReportDomain d)
    {
        d.MtaStsMode = r.Str("MtaStsMode");
        d.MtaStsPolicyId = r.Str("MtaStsPolicyId");
        d.MtaStsResultType = r.Str("MtaStsResultType");
        if (r.Get("TlsRptRecord") is not null || r.Get("TlsRptProblem") is not null)
        {
            // The records as published (an invalid one too) are in Outbound.MtaSts.TlsRpt; TlsRptRecord holds only a valid one.
            var published = r.Child("Outbound")?.Child("MtaSts")?.Child("TlsRpt")?.Texts("Records") ?? Array.Empty<string>();
            var record = r.Str("TlsRptRecord");
            var entry = new ReportTlsRpt { PolicyDomain = d.DomainName, Role = "recipient domain", Problem = r.Str("TlsRptProblem") };
            entry.Records.AddRange(published.Count > 0 ? published : record.Length > 0 ? new[] { record } : Array.Empty<string>());
            d.TlsRpt.Add(entry);
        }
        foreach (var l in r.Children("DaneTlsRpt", ref d.DetailCut))
        {
            var entry = new ReportTlsRpt { PolicyDomain = Trim(l.Str("PolicyDomain")), Role = "TLSA base domain", Problem = l.Str("Problem") };
            entry.Records.AddRange(l.Texts("Records"));
            d.TlsRpt.Add(entry);
        }
    }

    private static ReportHost ReadHost(IResultView h, ref bool cut)
    {
        var host = new ReportHost
        {
            HostName = Trim(h.Str("HostName")),
            Preference = h.Int("Preference") ?? 0,
            IsImplicit = h.Bool("IsImplicit") ?? false,
            Outcome = First(h.Str("OutcomeText"), h.Str("Outcome")),
            Reason = h.Str("Reason"),
            ExchangeOnlineNdr = h.Str("ExchangeOnlineNdr"),
            TlsRptResultType = h.Str("TlsRptResultType"),
            AddressStatus = First(h.Str("AddressStatusText"), h.Str("AddressStatus")),
            ExpandedHostName = Trim(h.Str("ExpandedHostName")),
            TlsaBaseDomain = Trim(h.Str("TlsaBaseDomain")),
            TlsaStatus = First(h.Str("TlsaStatusText"), h.Str("TlsaStatus")),
            Requirement = First(h.Str("RequirementText"), h.Str("Requirement")),
        };
        host.ReferenceIdentifiers.AddRange(h.Texts("ReferenceIdentifiers"));
        foreach (var l in h.Children("AddressLookups", ref cut)) host.AddressLookups.Add(ReadLookup(l));
        foreach (var l in h.Children("TlsaLookups", ref cut)) host.TlsaLookups.Add(ReadLookup(l));
        // The TTL the rollover waits on (RFC 7671 section 8.1): the records in presentation form carry it.
        foreach (var text in host.TlsaLookups.SelectMany(l => l.Records))
        {
            if (ResourceRecord.TryParse(text, out var rr, out _) && rr is { Type: DnsRecordType.TLSA })
                host.TlsaTtl = Math.Min(host.TlsaTtl ?? long.MaxValue, rr.Ttl);
        }
        var usable = new HashSet<string>(h.Texts("UsableTlsaRecords"), StringComparer.OrdinalIgnoreCase);
        var unusable = h.Children("UnusableTlsaRecords").ToDictionary(u => u.Str("Record"), u => u.Str("Reason"), StringComparer.OrdinalIgnoreCase);
        foreach (var t in h.Texts("TlsaRecords"))
        {
            host.Tlsa.Add(new ReportTlsa
            {
                Record = t,
                Usable = usable.Contains(t),
                Note = unusable.TryGetValue(t, out var why) ? why : string.Empty,
            });
        }
        foreach (var a in h.Children("Addresses", ref cut))
        {
            var address = ReadAddress(a, ref cut);
            host.Addresses.Add(address);
            if (address.MatchedRecord.Length == 0) continue;
            foreach (var t in host.Tlsa.Where(t => string.Equals(t.Record, address.MatchedRecord, StringComparison.OrdinalIgnoreCase)))
                t.MatchedAt.Add($"{address.Address} at depth {address.MatchDepth.ToString(CultureInfo.InvariantCulture)}");
        }
        return host;
    }

    private static ReportAddress ReadAddress(IResultView a, ref bool cut)
    {
        var address = new ReportAddress
        {
            Address = a.Str("Address"),
            Family = a.Str("AddressFamily"),
            Probed = a.Bool("Probed") ?? false,
            ProbeOutcome = First(a.Str("ProbeOutcomeText"), a.Str("ProbeOutcome")),
            StartTlsOffered = a.Bool("StartTlsOffered"),
            TlsVersion = a.Str("TlsVersion"),
            Cipher = a.Str("CipherAlgorithm"),
            ProbeError = a.Str("ProbeError"),
            ServerName = a.Str("ServerName"),
            Outcome = First(a.Str("OutcomeText"), a.Str("Outcome")),
            Reason = a.Str("Reason"),
            MatchOutcome = First(a.Str("MatchOutcomeText"), a.Str("MatchOutcome")),
            MatchedRecord = a.Str("MatchedRecord"),
            MatchDepth = a.Int("MatchDepth") ?? -1,
        };
        foreach (var c in a.Children("PresentedChain", ref cut))
        {
            var cert = new ReportCertificate
            {
                Position = c.Int("Position") ?? address.Chain.Count,
                Subject = c.Str("Subject"),
                Issuer = c.Str("Issuer"),
                NotBeforeUtc = c.Date("NotBeforeUtc"),
                NotAfterUtc = c.Date("NotAfterUtc"),
                SpkiSha256 = c.Str("SpkiSha256"),
                CertificateSha256 = c.Str("CertificateSha256"),
            };
            cert.DnsNames.AddRange(c.Texts("DnsNames"));
            address.Chain.Add(cert);
        }
        return address;
    }

    private static ReportLookup ReadLookup(IResultView l)
    {
        var lookup = new ReportLookup
        {
            QueryName = Trim(l.Str("QueryName")),
            Type = l.Str("Type"),
            Status = First(l.Str("StatusText"), l.Str("Status")),
            ReasonCode = l.Str("ReasonCode"),
            Reason = l.Str("Reason"),
            EarliestSignatureExpirationUtc = l.Date("EarliestSignatureExpirationUtc"),
        };
        lookup.Records.AddRange(l.Texts("Records"));
        lookup.CnameChain.AddRange(l.Texts("CnameChain"));
        return lookup;
    }

    public static ReportChain ReadChain(IResultView r, ref bool cut)
    {
        var reason = r.Child("Reason");
        var chain = new ReportChain
        {
            QueryName = Trim(r.Str("Name")),
            Type = First(r.Str("TypeText"), r.Str("Type")),
            Status = First(r.Str("StatusText"), r.Str("Status")),
            ReasonCode = r.Str("ReasonCode"),
            Reason = reason?.Str("Message") ?? string.Empty,
            ReasonZone = Trim(reason?.Str("Zone") ?? string.Empty),
            FinalName = Trim(r.Str("FinalName")),
            Server = r.Str("Server"),
            CheckedUtc = r.Date("ValidationTimeUtc"),
        };
        if (r.Str("ResolutionPath") is { Length: > 0 } path) chain.Servers.Add(path);
        chain.TrustAnchor = r.Str("TrustAnchorUsed");
        if (chain.Server.Length > 0) chain.Servers.Add("answered by " + chain.Server);
        if (chain.Reason.Length == 0 && reason is null && r.Get("Reason") is string text) chain.Reason = text;
        chain.Warnings.AddRange(r.Texts("Warnings"));
        foreach (var rec in r.Children("Records", ref cut)) chain.Records.Add(rec.Str("Record") is { Length: > 0 } s ? s : rec.Text);
        foreach (var s in r.Children("AnswerSignatures", ref cut)) chain.AnswerSignatures.Add(ReadSignature(s));
        foreach (var a in r.Children("Aliases", ref cut))
        {
            chain.Aliases.Add(new ReportAlias
            {
                Owner = Trim(a.Str("Owner")),
                Type = a.Str("Type").ToUpperInvariant(),
                Target = Trim(a.Str("Target")),
                Status = a.Str("Status"),
            });
        }
        foreach (var z in r.Children("Links", ref cut))
        {
            var zr = z.Child("Reason");
            var zone = new ReportZone
            {
                Name = z.Str("Zone"),
                Status = z.Str("Status"),
                ReasonCode = zr?.Str("Code") ?? string.Empty,
                Reason = zr?.Str("Message") ?? (z.Get("Reason") as string ?? string.Empty),
                IsTrustAnchor = z.Bool("IsTrustAnchor") ?? false,
            };
            foreach (var ds in z.Children("DsRecords", ref cut))
            {
                zone.Ds.Add(new ReportDs
                {
                    KeyTag = ds.Int("KeyTag") ?? 0,
                    Algorithm = Number<DnssecAlgorithm>(ds, "Algorithm"),
                    DigestType = Number<DsDigestType>(ds, "DigestType"),
                    Digest = ds.Str("Digest"),
                    Usable = ds.Bool("IsUsable") ?? false,
                    MatchesKey = ds.Bool("MatchesKey") ?? false,
                });
            }
            foreach (var k in z.Children("Keys", ref cut))
            {
                var flags = k.Int("Flags") ?? 0;
                var key = new ReportKey
                {
                    KeyTag = k.Int("KeyTag") ?? 0,
                    Algorithm = Number<DnssecAlgorithm>(k, "Algorithm"),
                    Flags = flags,
                    IsSep = k.Bool("IsSecureEntryPoint") ?? (flags & DnskeyRecord.SepFlag) != 0,
                    IsRevoked = k.Bool("IsRevoked") ?? (flags & DnskeyRecord.RevokeFlag) != 0,
                    MatchesDs = k.Bool("MatchesDs") ?? false,
                    SignedKeySet = k.Bool("SignedKeySet") ?? false,
                    Record = k.Str("Record"),
                };
                key.SuggestedDs = SuggestDs(key.Record);
                zone.Keys.Add(key);
            }
            foreach (var s in z.Children("Signatures", ref cut)) zone.Signatures.Add(ReadSignature(s));
            chain.Zones.Add(zone);
            if (zone.IsTrustAnchor && chain.TrustAnchor.Length == 0)
            {
                chain.TrustAnchor = zone.Ds.Count > 0
                    ? $"{zone.Name} DS " + string.Join(", ", zone.Ds.Select(ds => ds.KeyTag.ToString(CultureInfo.InvariantCulture)))
                    : $"{zone.Name} DNSKEY " + string.Join(", ", zone.Keys.Where(k => k.MatchesDs).Select(k => k.KeyTag.ToString(CultureInfo.InvariantCulture)));
            }
        }
        return chain;
    }

    private static ReportSignature ReadSignature(IResultView s) => new()
    {
        Owner = Trim(s.Str("Owner")),
        TypeCovered = s.Str("TypeCovered").ToUpperInvariant(),
        KeyTag = s.Int("KeyTag") ?? 0,
        Outcome = s.Str("Outcome"),
        ExpirationUtc = s.Date("ExpirationUtc"),
    };

    // Enum values arrive as names (live or deserialised); the numbers are what zone files and DNSViz show.
    private static long Number<T>(IResultView v, string name) where T : struct, Enum
    {
        var text = v.Str(name);
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        return Enum.TryParse<T>(text, true, out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : -1;
    }

    /// <summary>Computes the SHA-256 DS record (RFC 4509) the parent should hold for a DNSKEY given in presentation form.</summary>
    internal static string SuggestDs(string dnskeyRecord)
    {
        if (!ResourceRecord.TryParse(dnskeyRecord, out var rr, out _) || rr is null || rr.Type != DnsRecordType.DNSKEY) return string.Empty;
        if (!DnskeyRecord.TryFrom(rr, out var key) || key is null) return string.Empty;
        var digest = DsDigest.Compute(DsDigestType.Sha256, rr.Owner, rr.GetRdata());
        return string.Format(CultureInfo.InvariantCulture, "{0} IN DS {1} {2} 2 {3}", rr.Owner, key.KeyTag, (byte)key.Algorithm, Hex.Encode(digest));
    }

    private static string First(string a, string b) => a.Length > 0 ? a : b;

    internal static string Trim(string name) => name.Length > 1 && name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
}
