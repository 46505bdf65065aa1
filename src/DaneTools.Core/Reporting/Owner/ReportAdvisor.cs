using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DaneTools.Core.Reporting.Owner;

// Derives "what to fix" (in the order to do it) and the warnings from the model. Addressed to the recipient domain's
// administrators: they hold the zone, the DS at the parent and the mail servers.
internal static class ReportAdvisor
{
    /// <summary>Certificates closer than this to their end are warned about.</summary>
    public static readonly TimeSpan CertificateWarning = TimeSpan.FromDays(30);

    /// <summary>Signatures closer than this to their expiration are warned about.</summary>
    public static readonly TimeSpan SignatureWarning = TimeSpan.FromDays(7);

    private static readonly HashSet<string> s_dsCodes = new(StringComparer.Ordinal) { "DsDigestMismatch", "NoDnskeyForDs", "NoMatchingDs", "DsMismatch" };

    private static readonly HashSet<string> s_resignCodes = new(StringComparer.Ordinal)
        { "RrsigExpired", "RrsigNotYetValid", "NoValidSignature", "MissingRrsig", "SignatureInvalid" };

    public static void Advise(ReportDomain d)
    {
        var now = d.CheckedUtc ?? d.Chains.Select(c => c.CheckedUtc).FirstOrDefault(t => t is not null) ?? DateTime.UtcNow;
        AdviseDnssec(d);
        AdviseHosts(d);
        Warn(d, now);
        if (d.Fixes.Count == 0 && d.HasDaneResult && d.Status is "Pass" or "DnsPass")
        {
            d.Fixes.Add(new ReportFix
            {
                Title = "Nothing to fix today.",
                Detail = $"When a certificate is next replaced: publish the TLSA record for the new key first, wait at least {TwiceTtl(d.Hosts.FirstOrDefault(h => h.TlsaTtl is not null))}, then install the certificate, then remove the old record (RFC 7671 section 8.1).",
            });
        }
    }

    private static void AdviseDnssec(ReportDomain d)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in d.Chains)
        {
            var zone = c.Zones.FirstOrDefault(z => z.Status == "Bogus");
            if (zone is not null && seen.Add("zone:" + zone.Name)) d.Fixes.Add(ZoneFix(zone, c.Zones));
            else if (zone is null && c.Status == "Bogus" && seen.Add("answer:" + c.QueryName + c.Type))
            {
                var where = c.ReasonZone.Length > 0 ? c.ReasonZone : c.Zones.LastOrDefault()?.Name ?? c.QueryName;
                d.Fixes.Add(new ReportFix
                {
                    Title = $"Repair the signatures of {c.QueryName} {c.Type} in zone {where}.",
                    Detail = Join(c.ReasonCode, c.Reason) + " Re-sign the zone (check that the signer runs and its clock is right); validating resolvers refuse the RRset until then.",
                });
            }
        }
        // Without a chain result, the lookups in the Test-DaneDomain result still say which RRset fails.
        var failing = new List<ReportLookup>();
        if (d.MxLookup is { Status: "Bogus" } mx) failing.Add(mx);
        foreach (var h in d.Hosts) failing.AddRange(h.AddressLookups.Concat(h.TlsaLookups).Where(l => l.Status == "Bogus"));
        foreach (var l in failing)
        {
            if (d.Chains.Any(c => SameName(c.QueryName, l.QueryName) && c.Status == "Bogus")) continue;
            if (!seen.Add("lookup:" + l.QueryName + l.Type)) continue;
            d.Fixes.Add(new ReportFix
            {
                Title = $"Repair DNSSEC for {l.QueryName} {l.Type}: it does not validate.",
                Detail = Join(l.ReasonCode, l.Reason) + (s_resignCodes.Contains(l.ReasonCode)
                    ? " Re-sign the zone that holds it (check that the signer runs and its clock is right)."
                    : " The chain picture shows which link breaks (run Test-DnssecChain for this name and include its result in the report)."),
            });
        }
    }

    private static ReportFix ZoneFix(ReportZone zone, IReadOnlyList<ReportZone> zones)
    {
        int i = zones.ToList().IndexOf(zone);
        var parent = i > 0 ? zones[i - 1].Name : "the parent zone";
        if (s_dsCodes.Contains(zone.ReasonCode) || zone.Ds.Count > 0 && !zone.Ds.Any(ds => ds.MatchesKey))
        {
            var fix = new ReportFix
            {
                Title = $"Replace the DS records for {zone.Name} at the parent ({parent}).",
                Detail = Join(zone.ReasonCode, zone.Reason) +
                    $" The DS set at {parent} must match a key-signing key that {zone.Name} serves now. Publish the DS below (through the registrar or the parent's operator),"
                    + " and remove the DS records that match no key only after the new DS is visible and its TTL has passed (RFC 6781 section 4.1.2)."
                    + (zone.Ds.Count > 0 ? " Stale now: " + string.Join(", ", zone.Ds.Where(ds => !ds.MatchesKey).Select(ds => $"DS {ds.KeyTag} {ds.Algorithm} {ds.DigestType}")) + "." : string.Empty),
            };
            fix.Records.AddRange(zone.Keys.Where(k => k.IsSep && !k.IsRevoked && k.SuggestedDs.Length > 0).Select(k => k.SuggestedDs));
            if (fix.Records.Count == 0) fix.Records.AddRange(zone.Keys.Where(k => !k.IsRevoked && k.SuggestedDs.Length > 0).Select(k => k.SuggestedDs));
            return fix;
        }
        return new ReportFix
        {
            Title = s_resignCodes.Contains(zone.ReasonCode) ? $"Re-sign zone {zone.Name}." : $"Repair the DNSSEC of zone {zone.Name}.",
            Detail = Join(zone.ReasonCode, zone.Reason) + " Validating resolvers (Exchange Online's among them) refuse every answer from the zone until then.",
        };
    }

    private static void AdviseHosts(ReportDomain d)
    {
        foreach (var h in d.Hosts)
        {
            var owner = h.TlsaOwner;
            var published = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var a in h.Addresses)
            {
                var leaf = a.Chain.FirstOrDefault(c => c.Position == 0) ?? a.Chain.FirstOrDefault();
                var where = $"{h.HostName} [{a.Address}]";
                if (a.StartTlsOffered == false)
                {
                    Add(d, new ReportFix
                    {
                        Title = $"Offer STARTTLS on {h.HostName}.",
                        Detail = $"{where} did not offer STARTTLS. The TLSA records at {owner} make TLS mandatory for every sender that uses DANE (RFC 7672 section 2.2). Turn STARTTLS on, or, if this host cannot offer TLS, remove its TLSA records first.",
                    });
                }
                else if (a.Outcome == "TlsFailure")
                {
                    Add(d, new ReportFix
                    {
                        Title = $"Repair TLS on {where}.",
                        Detail = Join(string.Empty, a.Reason) + (a.ProbeError.Length > 0 ? " Error: " + a.ProbeError + "." : string.Empty),
                    });
                }
                if (leaf is null || leaf.SpkiSha256.Length == 0) continue;
                var record = $"{owner} IN TLSA 3 1 1 {leaf.SpkiSha256}";
                switch (a.MatchOutcome)
                {
                    case "NoMatch":
                        if (!published.Add(record)) break;
                        var stale = h.Tlsa.Where(t => t.MatchedAt.Count == 0).Select(t => t.Record).ToList();
                        Add(d, new ReportFix
                        {
                            Title = $"Publish a TLSA record for the certificate {h.HostName} presents now.",
                            Detail = $"No usable TLSA record at {owner} matches the certificate {where} presents (subject {leaf.Subject}, SPKI SHA-256 {leaf.SpkiSha256}). "
                                + "Add this DANE-EE record (3 1 1: the SHA-256 of the public key, RFC 7671 section 5.1) to the signed zone now; the server already presents this certificate."
                                + (stale.Count > 0 ? $" Remove the records that match nothing ({string.Join(", ", stale)}) once the new record has been visible for {TwiceTtl(h)}." : string.Empty)
                                + $" From then on, for every certificate change: publish the record for the new key first, wait at least {TwiceTtl(h)}, then switch the certificate (RFC 7671 section 8.1).",
                            Records = { record },
                        });
                        break;
                    case "NameMismatch":
                        Add(d, new ReportFix
                        {
                            Title = $"Give {h.HostName}'s certificate a name the DANE-TA record requires, or publish a DANE-EE record.",
                            Detail = $"The certificate on {where} names {Names(leaf)}; under DANE-TA it must name one of {string.Join(", ", h.ReferenceIdentifiers)} (RFC 7672 section 3.2.2). "
                                + "Reissue it with that name, or publish the 3 1 1 record below (DANE-EE does not check names, RFC 7672 section 3.1.1).",
                            Records = { record },
                        });
                        break;
                    case "CertificateExpired":
                    case "CertificateNotYetValid":
                        Add(d, new ReportFix
                        {
                            Title = $"Replace the certificate on {h.HostName}: it is outside its validity period.",
                            Detail = $"{where}: {a.Reason} Under DANE-TA the dates count. If the new certificate has a new key and you also publish DANE-EE records, publish the new 3 1 1 record first and wait {TwiceTtl(h)} before installing the certificate (RFC 7671 section 8.1).",
                        });
                        break;
                }
            }
            if (h.Outcome == "TlsOnly" && h.Tlsa.Count > 0)
            {
                var leaf = h.Addresses.SelectMany(a => a.Chain).FirstOrDefault(c => c.Position == 0);
                var fix = new ReportFix
                {
                    Title = $"Replace the unusable TLSA records at {owner}.",
                    Detail = "None of them can authenticate an SMTP server: " + string.Join("; ", h.Tlsa.Select(t => t.Record + (t.Note.Length > 0 ? " (" + t.Note + ")" : string.Empty)))
                        + ". SMTP uses only DANE-TA(2) and DANE-EE(3) (RFC 7672 section 3.1.3).",
                };
                if (leaf is not null && leaf.SpkiSha256.Length > 0) fix.Records.Add($"{owner} IN TLSA 3 1 1 {leaf.SpkiSha256}");
                Add(d, fix);
            }
        }
    }

    private static void Warn(ReportDomain d, DateTime now)
    {
        var warnings = new List<string>(d.Warnings);
        foreach (var c in d.Chains) warnings.AddRange(c.Warnings);
        foreach (var h in d.Hosts)
        {
            foreach (var a in h.Addresses)
            {
                foreach (var c in a.Chain.Where(c => c.NotAfterUtc is not null))
                {
                    var left = c.NotAfterUtc!.Value - now;
                    if (left < TimeSpan.Zero) warnings.Add($"{h.HostName}: certificate {c.Subject} expired on {Utc(c.NotAfterUtc)}.");
                    else if (left < CertificateWarning) warnings.Add($"{h.HostName}: certificate {c.Subject} expires on {Utc(c.NotAfterUtc)} (in {Math.Floor(left.TotalDays).ToString(CultureInfo.InvariantCulture)} days).");
                }
            }
            foreach (var l in h.AddressLookups.Concat(h.TlsaLookups)) WarnSignature(warnings, l, now);
        }
        if (d.MxLookup is not null) WarnSignature(warnings, d.MxLookup, now);
        foreach (var c in d.Chains)
        {
            foreach (var s in c.Zones.SelectMany(z => z.Signatures).Concat(c.AnswerSignatures).Where(s => s.ExpirationUtc is not null && s.Outcome == "Valid"))
            {
                var left = s.ExpirationUtc!.Value - now;
                if (left >= TimeSpan.Zero && left < SignatureWarning) warnings.Add($"RRSIG over {s.Owner} {s.TypeCovered} (key {s.KeyTag}) expires on {Utc(s.ExpirationUtc)}: the zone must be re-signed before then.");
            }
            foreach (var z in c.Zones)
            {
                foreach (var k in z.Keys.Where(k => IsWeak(k.Algorithm))) warnings.Add($"{z.Name}: DNSKEY {k.KeyTag} uses algorithm {k.Algorithm} ({AlgorithmName(k.Algorithm)}), deprecated (RFC 9904, RFC 9905): roll to algorithm 13 or 8.");
                if (z.Ds.Count > 0 && z.Ds.All(ds => ds.DigestType == 1)) warnings.Add($"{z.Name}: the parent holds only SHA-1 DS records (digest type 1); add SHA-256 (2) DS records (RFC 9905).");
            }
        }
        d.Warnings.Clear();
        d.Warnings.AddRange(warnings.Distinct(StringComparer.Ordinal));
    }

    private static void WarnSignature(List<string> warnings, ReportLookup l, DateTime now)
    {
        if (l.EarliestSignatureExpirationUtc is not DateTime t) return;
        var left = t - now;
        if (left >= TimeSpan.Zero && left < SignatureWarning) warnings.Add($"The signatures validating {l.QueryName} {l.Type} expire on {Utc(t)}: the zone must be re-signed before then.");
    }

    private static readonly HashSet<string> s_passing = new(StringComparer.Ordinal) { "Pass", "DnsPass", "NoMail", "NotApplicable" };

    /// <summary>Since when the domain fails, from the earlier results given with it: the first check of the failing run
    /// that reaches the newest one, and the last check that passed; empty without earlier results or when it passes.</summary>
    internal static string FailingSince(ReportDomain d)
    {
        if (d.History.Count == 0 || s_passing.Contains(d.Status)) return string.Empty;
        ReportCheck? since = null, lastPass = null;
        int failing = 1;
        for (int i = d.History.Count - 1; i >= 0; i--)
        {
            if (s_passing.Contains(d.History[i].Status)) { lastPass = d.History[i]; break; }
            since = d.History[i];
            failing++;
        }
        var count = failing.ToString(CultureInfo.InvariantCulture);
        if (since is null) return $"{Utc(d.CheckedUtc)}: the check before, {Utc(lastPass!.CheckedUtc)}, gave {lastPass.Status}.";
        return lastPass is null
            ? $"{Utc(since.CheckedUtc)} at least: all {count} results given fail (the earliest is from then)."
            : $"{Utc(since.CheckedUtc)} ({count} failing checks in a row; the last that gave {lastPass.Status} was {Utc(lastPass.CheckedUtc)}).";
    }

    // Caches may hold the old TLSA RRset for its TTL (RFC 7671 section 8.1). The TTL in the result is the one served,
    // which a resolver's cache counts down from the zone's: a lower bound, said as such.
    internal static string TwiceTtl(ReportHost? h)
    {
        if (h?.TlsaTtl is not long ttl) return "twice the TLSA TTL";
        var twice = TimeSpan.FromSeconds(2 * ttl);
        var span = twice.TotalHours >= 1 ? twice.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h"
            : twice.TotalMinutes >= 1 ? twice.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
            : (2 * ttl).ToString(CultureInfo.InvariantCulture) + " s";
        return $"twice the TLSA TTL set in the zone (no less than 2 x {ttl.ToString(CultureInfo.InvariantCulture)} s = {span}, from the TTL as served)";
    }

    internal static bool IsWeak(long algorithm) => algorithm is 1 or 3 or 5 or 6 or 7 or 12;

    internal static string AlgorithmName(long algorithm) => algorithm switch
    {
        1 => "RSAMD5", 3 => "DSA", 5 => "RSASHA1", 6 => "DSA-NSEC3-SHA1", 7 => "RSASHA1-NSEC3-SHA1", 8 => "RSASHA256", 10 => "RSASHA512",
        12 => "ECC-GOST", 13 => "ECDSAP256SHA256", 14 => "ECDSAP384SHA384", 15 => "ED25519", 16 => "ED448",
        _ => algorithm < 0 ? "?" : algorithm.ToString(CultureInfo.InvariantCulture),
    };

    internal static string Utc(DateTime? t) => t is null ? string.Empty : t.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Names(ReportCertificate c) => c.DnsNames.Count > 0 ? string.Join(", ", c.DnsNames) : "no DNS name";

    private static void Add(ReportDomain d, ReportFix fix)
    {
        if (d.Fixes.Any(f => f.Title == fix.Title && f.Records.SequenceEqual(fix.Records))) return;
        d.Fixes.Add(fix);
    }

    private static string Join(string code, string reason) =>
        (code.Length > 0 ? code + ": " : string.Empty) + (reason.Length == 0 ? string.Empty : reason.TrimEnd('.') + ".");

    internal static bool SameName(string a, string b) =>
        string.Equals(ReportReader.Trim(a), ReportReader.Trim(b), StringComparison.OrdinalIgnoreCase);
}
