using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;
using DaneTools.Core.Smtp;

namespace DaneTools.Core.Dane;

// Steps 2 and 3 of DESIGN section 3 for one MX host: validated addresses (with the CNAME chain), the TLSA base domain and
// its TLSA RRset (RFC 7672 sections 2.2.2, 2.2.3), then every address checked (DaneDomainChecker.Address.cs).
public sealed partial class DaneDomainChecker
{
    /// <summary>What the host's DNS steps found.</summary>
    private sealed class HostDns
    {
        public HostDns(DnsName host) => Host = host;

        public DnsName Host { get; }

        public string HostText => Display(Host);

        public DnsName Expanded { get; set; } = null!;

        public IReadOnlyList<CnameLink> Chain { get; set; } = Array.Empty<CnameLink>();

        public DnssecStatus AddressStatus { get; set; }

        public List<IPAddress> Addresses { get; } = new();

        public HostBuilder Builder { get; set; } = null!;

        /// <summary>The TLSA base domain, or null when no candidate has a secure TLSA RRset.</summary>
        public DnsName? BaseDomain { get; set; }

        /// <summary>The secure TLSA answer at the base domain, or null.</summary>
        public ValidatedAnswer? Tlsa { get; set; }

        public string NoTlsaWhy { get; set; } = string.Empty;

        /// <summary>The host result when DNS alone decided it (a failed lookup, no address).</summary>
        public DaneMxHostResult? Failed { get; set; }
    }

    private async Task<DaneMxHostResult> CheckHostAsync(Run run, DomainContext ctx, DnsName host, int preference, bool isImplicit,
        SemaphoreSlim throttle, CancellationToken cancellationToken)
    {
        var dns = await ResolveAddressesAsync(run, ctx, host, preference, isImplicit, cancellationToken).ConfigureAwait(false);
        if (dns.Failed is null) await FindTlsaAsync(run, dns, cancellationToken).ConfigureAwait(false);
        if (dns.Failed is not null) return dns.Failed;

        string hostText = dns.HostText;
        var records = ReadTlsa(run, hostText, dns.Tlsa);
        // A secure TLSA RRset makes TLS mandatory even when none of its records is usable or readable (RFC 7672 section 2.2).
        TlsaUsableSet? usable = dns.Tlsa is not null ? TlsaMatcher.SelectUsable(records, smtpMode: true) : null;
        var requirement = DaneVerdictTable.Requirement(usable);
        string serverName = dns.BaseDomain is null ? hostText : Display(dns.BaseDomain);
        dns.Builder.SetBaseDomain(dns.BaseDomain is null ? string.Empty : serverName);
        dns.Builder.SetRecords(records, usable, requirement, ReferenceIdentifiers(ctx, dns.BaseDomain, host, dns.Expanded));
        // One record for the current key is normal between rollovers: the next key's record is due one TTL before the key
        // changes (RFC 7671 sections 8.1, 8.4), so this is information for -Verbose, not a warning on every DANE domain.
        if (usable is not null && usable.Usable.Count == 1)
        {
            run.Trace("TLSA", $"{hostText}: _{run.Settings.Port}._tcp.{serverName} has a single usable record; " +
                "publish the next key's record at least one TTL before a key or certificate rollover (RFC 7671 section 8.1).");
        }
        bool eoApplies = DaneVerdictTable.ExchangeOnlineApplies(ctx.MxSecure, dns.AddressStatus);

        var probeOptions = new SmtpProbeOptions { Port = run.Settings.Port, TimeoutSeconds = run.Settings.TimeoutSeconds };
        if (run.Settings.HeloName is not null) probeOptions.HeloName = run.Settings.HeloName;
        var addressTasks = dns.Addresses.Select(ip => CheckAddressAsync(run, hostText, ip, serverName, records, requirement, dns.Builder.ReferenceIdentifiers,
            probeOptions, throttle, cancellationToken)).ToList();
        var addressResults = await Task.WhenAll(addressTasks).ConfigureAwait(false);
        if (usable is not null && usable.Usable.Count > 1) WarnIfNoNextKey(run, hostText, serverName, usable, addressResults);
        var hostResult = dns.Builder.Finish(addressResults, requirement, eoApplies, dns.NoTlsaWhy);
        run.Trace("Match", $"{hostText}: {hostResult.Outcome}: {hostResult.Reason}");
        return hostResult;
    }

    /// <summary>Validated A and AAAA: a failed lookup makes the host unusable for this attempt, no address makes it not found.</summary>
    private async Task<HostDns> ResolveAddressesAsync(Run run, DomainContext ctx, DnsName host, int preference, bool isImplicit, CancellationToken cancellationToken)
    {
        var dns = new HostDns(host);
        string hostText = dns.HostText;
        // A and AAAA overlap, also on a bulk worker whose reads block it (DnsIoModes.StartTogether).
        var lookups = DnsIoModes.StartTogether(new Func<Task<ValidatedAnswer>>[]
        {
            () => _resolver.ResolveAsync(host, DnsRecordType.A, cancellationToken),
            () => _resolver.ResolveAsync(host, DnsRecordType.AAAA, cancellationToken),
        });
        var a = await lookups[0].ConfigureAwait(false);
        var aaaa = await lookups[1].ConfigureAwait(false);
        run.NoteAnswer(a);
        run.NoteAnswer(aaaa);
        dns.AddressStatus = Weakest(a.Status, aaaa.Status);
        dns.Chain = a.CnameChain.Count > 0 ? a.CnameChain : aaaa.CnameChain;
        dns.Expanded = dns.Chain.Count > 0 ? dns.Chain[dns.Chain.Count - 1].Target : host;
        dns.Builder = new HostBuilder(run, ctx, hostText, preference, isImplicit, dns.AddressStatus, Display(dns.Expanded),
            new[] { new DaneLookupResult(a), new DaneLookupResult(aaaa) });

        // Address lookups that failed make the host unusable for this attempt (RFC 7672 section 2.2, DESIGN section 6).
        var badAddress = new[] { a, aaaa }.FirstOrDefault(x => x.Status == DnssecStatus.Bogus)
            ?? new[] { a, aaaa }.FirstOrDefault(x => x.Status == DnssecStatus.Indeterminate);
        if (badAddress is not null)
        {
            var kind = DaneVerdictTable.ForAddressLookup(badAddress.Status)!.Value;
            dns.Failed = dns.Builder.DnsFailure(kind, kind, $"The {badAddress.Type} lookup of {hostText} is {badAddress.Status} ({Why(badAddress)}); the host is unusable.");
            return dns;
        }

        foreach (var answer in new[] { a, aaaa })
        {
            foreach (var rr in answer.Records)
            {
                if (AddressRdata.TryFrom(rr, out var address)) dns.Addresses.Add(address!.Address);
            }
        }
        if (dns.Addresses.Count == 0)
        {
            dns.Failed = dns.Builder.DnsFailure(DaneFailureKind.HostNotFound, DaneFailureKind.HostNotFound,
                a.IsNxDomain || aaaa.IsNxDomain ? $"The MX host {hostText} does not exist (NXDOMAIN)." : $"The MX host {hostText} has no A or AAAA records.");
        }
        return dns;
    }

    /// <summary>
    /// TLSA at each base domain candidate in turn until one has a secure TLSA RRset (RFC 7672 sections 2.2.2, 2.2.3); a
    /// failed TLSA lookup makes the host unusable, never a downgrade.
    /// </summary>
    private async Task FindTlsaAsync(Run run, HostDns dns, CancellationToken cancellationToken)
    {
        var candidates = DaneVerdictTable.TlsaCandidates(dns.AddressStatus, dns.Chain, dns.Host, dns.Expanded, out var noTlsaWhy);
        var lookups = new List<DaneLookupResult>();
        DnssecStatus? status = null;
        foreach (var candidate in candidates)
        {
            DnsName query;
            try
            {
                query = candidate.Prepend("_tcp").Prepend("_" + run.Settings.Port.ToString(CultureInfo.InvariantCulture));
            }
            catch (FormatException)
            {
                // A name over 255 octets cannot be in the DNS, so no TLSA RRset exists for this candidate (RFC 1035 2.3.4).
                string why = $"the TLSA name _{run.Settings.Port}._tcp.{Display(candidate)} would be longer than 255 octets, so no TLSA record can exist there";
                run.Warn($"{dns.HostText}: {why}.");
                noTlsaWhy = noTlsaWhy.Length == 0 ? why : $"{noTlsaWhy}; {why}";
                continue;
            }
            var answer = await _resolver.ResolveAsync(query, DnsRecordType.TLSA, cancellationToken).ConfigureAwait(false);
            run.NoteAnswer(answer);
            lookups.Add(new DaneLookupResult(answer));
            status = answer.Status;
            dns.Builder.SetTlsa(lookups, status);
            if (!answer.IsUsable)
            {
                dns.Failed = dns.Builder.DnsFailure(DaneFailureKind.DnssecInvalid, DaneFailureKind.DnssecInvalid,
                    $"The TLSA lookup at {Display(query)} is {answer.Status} ({Why(answer)}); the host is unusable (never a downgrade).",
                    tlsaStage: true);
                return;
            }
            if (DaneVerdictTable.IsTlsaBase(answer))
            {
                dns.BaseDomain = candidate;
                dns.Tlsa = answer;
                break;
            }
        }

        if (dns.Tlsa is null && lookups.Count > 0)
        {
            var seen = string.Join(", ", lookups.Select(l => $"{l.QueryName} {(l.IsNxDomain ? "NXDOMAIN" : l.IsNoData ? "NODATA" : l.Records.Count + " record(s)")} ({l.Status})"));
            noTlsaWhy = noTlsaWhy.Length == 0 ? $"no secure TLSA records ({seen})" : $"{noTlsaWhy} ({seen})";
        }
        dns.NoTlsaWhy = noTlsaWhy;
    }

    /// <summary>The TLSA RRset's records, read from their wire RDATA (<see cref="TlsaRdata"/>); none without a secure RRset.</summary>
    private static List<TlsaRecord> ReadTlsa(Run run, string hostText, ValidatedAnswer? tlsa)
    {
        var records = new List<TlsaRecord>();
        if (tlsa is null) return records;
        foreach (var rr in tlsa.Records.Where(r => r.Type == DnsRecordType.TLSA))
        {
            if (!TlsaRdata.TryFrom(rr, out var rdata)) { run.Warn($"{hostText}: a TLSA record shorter than 3 octets was ignored: {rr}"); continue; }
            records.Add(TlsaRecord.From(rdata!));
        }
        return records;
    }

    /// <summary>
    /// Warns when several usable records exist but every one is a DANE-EE record for the key the server presents now, so
    /// none is ready for the next key (RFC 7671 section 8.1); DANE-TA records survive a leaf key change. Unlike a single
    /// record, a second record suggests a next key was meant to be published, so this one matters.
    /// </summary>
    private static void WarnIfNoNextKey(Run run, string hostText, string baseName, TlsaUsableSet usable, IReadOnlyList<DaneAddressResult> addresses)
    {
        if (usable.Usable.Any(r => r.Usage != TlsaUsage.DaneEe)) return;
        var presented = addresses.FirstOrDefault(a => a.PresentedChain.Count > 0 && a.PresentedChain[0].Position == 0);
        if (presented is null) return;
        var leaf = new[] { presented.PresentedChain[0].GetDer() };
        var options = new TlsaMatchOptions { ValidationTime = run.Settings.Now };
        if (usable.Usable.All(r => TlsaMatcher.Match(new[] { r }, leaf, options).IsAuthenticated))
        {
            run.Warn($"{hostText}: every usable TLSA record at _{run.Settings.Port}._tcp.{baseName} matches the current certificate, so no record for a next key is published; " +
                "publish the next key's record before a key rollover (RFC 7671 section 8.1).");
        }
    }

    /// <summary>Reference identifiers for DANE-TA name checks (RFC 7672 section 3.2.2, DESIGN section 6).</summary>
    internal static IReadOnlyList<string> ReferenceIdentifiers(DomainContext ctx, DnsName? baseDomain, DnsName host, DnsName expandedHost)
    {
        var ids = new List<DnsName>();
        void Add(DnsName n)
        {
            if (!ids.Contains(n)) ids.Add(n);
        }
        var tlsaBase = baseDomain ?? host;
        if (ctx.Implicit)
        {
            // Non-MX destination: the TLSA base domain and, if that is the expanded next-hop domain, the original one.
            // (The host is the domain itself, so its CNAME expansion is the expanded next-hop domain.)
            Add(tlsaBase);
            if (tlsaBase == expandedHost) Add(ctx.Domain);
        }
        else if (ctx.MxSecure)
        {
            Add(tlsaBase);
            Add(ctx.Domain);
            Add(ctx.ExpandedDomain);
        }
        else
        {
            // Insecure MX: only the host's own name, i.e. its TLSA base domain (RFC 7672 section 2.2.1).
            Add(tlsaBase);
        }
        return ids.Select(Display).ToList().AsReadOnly();
    }

}
