using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Inbound;

/// <summary>
/// Checks how far an accepted domain has moved to Exchange Online inbound SMTP DANE (DESIGN section 6b): it runs the
/// sender's RFC 7672 check (<see cref="DaneDomainChecker"/>) and the MTA-STS check (<see cref="MtaStsPolicyChecker"/>)
/// through one validating resolver and reads the checks and the stage from their results.
/// </summary>
public sealed class InboundReadinessChecker
{
    private readonly IValidatedResolver _resolver;
    private readonly ISmtpProber? _prober;
    private readonly Action<string>? _trace;

    /// <summary>Creates a checker.</summary>
    /// <param name="resolver">The validating resolver (shared; may cache across domains).</param>
    /// <param name="prober">The SMTP prober; null for the network prober.</param>
    /// <param name="trace">Receives one line per decision, for -Verbose; null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="resolver"/> is null.</exception>
    public InboundReadinessChecker(IValidatedResolver resolver, ISmtpProber? prober = null, Action<string>? trace = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _prober = prober;
        _trace = trace;
    }

    /// <summary>Checks one accepted domain.</summary>
    /// <param name="domainName">The domain, an A-label without wildcard.</param>
    /// <param name="options">The settings; null for the defaults (no expected MX, MTA-STS skipped).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result with its stage and checks.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domainName"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="domainName"/> is not a valid domain name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="DnsTransportException">No resolver could be reached at all.</exception>
    public async Task<InboundReadinessResult> CheckAsync(string domainName, InboundReadinessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new InboundReadinessOptions();
        var stsTask = options.MtaSts is null ? null : new MtaStsPolicyChecker(_resolver, _trace).CheckAsync(domainName, options.MtaSts, cancellationToken);
        var dane = await new DaneDomainChecker(_resolver, _prober, _trace).CheckAsync(domainName, options.Dane, cancellationToken).ConfigureAwait(false);
        var sts = stsTask is null ? null : await stsTask.ConfigureAwait(false);
        var tlsRptName = DnsName.Parse("_smtp._tls." + dane.DomainName);
        _trace?.Invoke($"{dane.DomainName}: Inbound: TXT {DaneDomainChecker.Display(tlsRptName)}");
        var tlsRpt = new DaneLookupResult(await _resolver.ResolveAsync(tlsRptName, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false));
        var result = Evaluate(dane, sts, options, tlsRpt);
        _trace?.Invoke($"{result.DomainName}: Inbound: stage {result.Stage}");
        return result;
    }

    /// <summary>How an MX host relates to Exchange Online.</summary>
    internal enum HostKind { New, Legacy, Other }

    /// <summary>Classifies an MX host: the expected host or any host under the new suffix is New; under the legacy suffix Legacy.</summary>
    internal static HostKind Classify(string host, InboundReadinessOptions options)
    {
        var h = host.TrimEnd('.').ToLowerInvariant();
        if (options.ExpectedMxHost is { Length: > 0 } expected && string.Equals(h, expected.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)) return HostKind.New;
        if (Under(h, options.NewMxSuffix)) return HostKind.New;
        return Under(h, options.LegacyMxSuffix) ? HostKind.Legacy : HostKind.Other;
    }

    private static bool Under(string host, string suffix)
    {
        var s = suffix.Trim('.').ToLowerInvariant();
        return s.Length > 0 && host.EndsWith("." + s, StringComparison.Ordinal);
    }

    /// <summary>Reads the checks from the DANE and MTA-STS results (pure).</summary>
    internal static InboundReadinessResult Evaluate(DaneDomainResult dane, MtaStsPolicyResult? sts, InboundReadinessOptions options, DaneLookupResult? tlsRpt = null)
    {
        var domain = dane.DomainName;
        var mxRecords = dane.MxLookup.GetResourceRecords()
            .Select(r => MxRdata.TryFrom(r, out var m) ? m : null).Where(m => m is not null).Select(m => m!)
            .OrderBy(m => m.Preference).ToList();
        var hosts = mxRecords.Select(m => (Host: DaneDomainChecker.Display(m.Exchange), m.Preference)).Where(h => h.Host != ".").ToList();
        var newHost = hosts.Where(h => Classify(h.Host, options) == HostKind.New).Select(h => h.Host).FirstOrDefault() ?? string.Empty;
        // The zone's TTL, not the resolver's countdown: the RRSIG's Original TTL of a signed RRset (RFC 4034 section
        // 3.1.4); only an unsigned one falls back to the TTL served.
        uint? originalTtl = mxRecords.Count > 0 ? dane.MxLookup.OriginalTtlSeconds : null;
        uint? ttl = originalTtl ?? (mxRecords.Count > 0 ? mxRecords.Min(m => m.Record.Ttl) : null);
        var hostResult = newHost.Length == 0 ? null : dane.MxHosts.FirstOrDefault(h => string.Equals(h.HostName, newHost, StringComparison.OrdinalIgnoreCase));

        var checks = new List<InboundCheck> { DnssecCheck(dane) };
        var mx = MxCheck(domain, hosts, newHost, dane, options);
        checks.Add(mx);
        checks.Add(TtlCheck(mx.Code, ttl, originalTtl is not null, options));
        var addresses = AddressCheck(newHost, hostResult);
        checks.Add(addresses);
        var tlsa = TlsaCheck(domain, newHost, hostResult, addresses.Status == InboundCheckStatus.Pass);
        checks.Add(tlsa);
        checks.Add(ProbeCheck(domain, newHost, hostResult, tlsa.Status == InboundCheckStatus.Pass, dane.DnsOnly));
        checks.Add(MtaStsCheck(domain, newHost, sts));
        checks.Add(TlsRptCheck(domain, newHost, tlsRpt));
        return new InboundReadinessResult(domain, options.ExpectedMxHost, checks,
            hosts.Select(h => $"{h.Preference} {h.Host}").ToList(), newHost, ttl, dane, sts);
    }

    private static InboundCheck DnssecCheck(DaneDomainResult dane)
    {
        var lookup = dane.MxLookup;
        var why = lookup.Reason.Length > 0 ? $" ({lookup.ReasonCode}: {lookup.Reason})" : string.Empty;
        var domain = dane.DomainName;
        return lookup.Status switch
        {
            DnssecStatus.Secure => new InboundCheck(InboundCheckKind.DnssecChain, InboundCheckStatus.Pass, InboundCodes.Secure,
                $"The MX answer for {domain} validates from the trust anchor (Secure)."),
            DnssecStatus.Insecure => new InboundCheck(InboundCheckKind.DnssecChain, InboundCheckStatus.Fail, InboundCodes.Insecure,
                $"The MX answer for {domain} is Insecure: the zone is unsigned or its DS is missing at the parent{why}.",
                $"Sign {domain} at its DNS host, then publish its DS record at the registrar (in the parent zone)."),
            DnssecStatus.Bogus => BogusCheck(domain, lookup, why),
            _ => new InboundCheck(InboundCheckKind.DnssecChain, InboundCheckStatus.Fail, InboundCodes.Indeterminate,
                $"The MX lookup for {domain} failed without DNSSEC evidence{why}.",
                "Run the command again; check -Server, -TimeoutSeconds and the domain's name servers."),
        };
    }

    // The broken link named: the validator's reason gives the zone whose link failed, and its code which repair applies
    // (a DS the zone's keys do not match is the registrar's; an expired or missing signature is the DNS host's).
    private static InboundCheck BogusCheck(string domain, DaneLookupResult lookup, string why)
    {
        var zone = lookup.ReasonZone.Length > 0 ? lookup.ReasonZone : domain;
        var at = lookup.ReasonZone.Length > 0 ? $" at {zone}" : string.Empty;
        var next = lookup.ReasonCode switch
        {
            ReasonCodes.DsDigestMismatch or ReasonCodes.NoDnskeyForDs =>
                $"Publish at the registrar a DS record for {zone} that matches one of its published DNSKEY records, and remove the DS that matches none.",
            ReasonCodes.RrsigExpired or ReasonCodes.RrsigNotYetValid or ReasonCodes.RrsigExpiredBeforeValid or ReasonCodes.MissingRrsig or ReasonCodes.NoValidSignature =>
                $"Re-sign {zone} at its DNS host: every RRset needs a current RRSIG by a key its DS vouches for.",
            _ => $"Repair the link{at}: a DS at the registrar that matches a published DNSKEY, and current RRSIGs.",
        };
        return new InboundCheck(InboundCheckKind.DnssecChain, InboundCheckStatus.Fail, InboundCodes.Bogus,
            $"The MX answer for {domain} is Bogus: the link of the chain{at} is broken{why}; DANE senders defer its mail (4.7.324).", next);
    }

    private static InboundCheck MxCheck(string domain, List<(string Host, ushort Preference)> hosts, string newHost, DaneDomainResult dane, InboundReadinessOptions options)
    {
        const InboundCheckKind K = InboundCheckKind.MxRecordSet;
        var usable = dane.MxLookup.Status is DnssecStatus.Secure or DnssecStatus.Insecure;
        if (hosts.Count == 0)
        {
            return usable || dane.MxKind is DaneMxKind.NullMx or DaneMxKind.DomainDoesNotExist
                ? new InboundCheck(K, InboundCheckStatus.Fail, InboundCodes.NoMx, $"{domain} has no MX host ({dane.MxKind}).",
                    $"Publish the MX value Enable-DnssecForVerifiedDomain -DomainName {domain} returns, if the domain should receive mail in Exchange Online.")
                : new InboundCheck(K, InboundCheckStatus.NotChecked, InboundCodes.MxLookupFailed, $"The MX lookup for {domain} gave no RRset to judge ({dane.MxLookup.StatusText}).");
        }
        var list = string.Join(", ", hosts.Select(h => $"{h.Preference} {h.Host}"));
        var kinds = hosts.Select(h => Classify(h.Host, options)).ToList();
        var others = hosts.Where(h => !string.Equals(h.Host, newHost, StringComparison.OrdinalIgnoreCase)).Select(h => h.Host).Distinct().ToList();
        var legacy = hosts.Where(h => Classify(h.Host, options) == HostKind.Legacy).Select(h => h.Host).FirstOrDefault();
        var expected = options.ExpectedMxHost;
        if (!kinds.Contains(HostKind.New) && !kinds.Contains(HostKind.Legacy))
        {
            return new InboundCheck(K, InboundCheckStatus.Information, InboundCodes.NoExchangeOnlineHost,
                $"No MX host of {domain} is an Exchange Online host ({list}): mail arrives through a gateway or another provider, whose operator publishes TLSA.",
                "Inbound DANE for Exchange Online does not apply while another host receives the mail; ask the gateway's operator for DANE.");
        }
        if (newHost.Length == 0)
        {
            return new InboundCheck(K, InboundCheckStatus.Fail, InboundCodes.LegacyOnly,
                $"The MX RRset of {domain} holds the legacy host ({list}) and no {options.NewMxSuffix} host.",
                $"Lower the MX TTL, run Enable-DnssecForVerifiedDomain -DomainName {domain}, and publish the MX value it returns at preference 20 beside {legacy ?? "the current MX"}.");
        }
        var expectedNote = expected is { Length: > 0 } && !string.Equals(expected, newHost, StringComparison.OrdinalIgnoreCase)
            ? $" The MX value Exchange Online expects is {expected}, not {newHost}." : string.Empty;
        if (others.Count > 0)
        {
            // The value Exchange Online gave is the one to keep, even when another new-suffix host is published.
            var keep = expectedNote.Length > 0 ? expected! : newHost;
            var drop = string.Join(", ", hosts.Select(h => h.Host).Where(h => !string.Equals(h, keep, StringComparison.OrdinalIgnoreCase)).Distinct());
            return new InboundCheck(K, InboundCheckStatus.Fail, InboundCodes.NewWithOthers,
                $"The MX RRset of {domain} holds the new host beside {string.Join(", ", others)} ({list}); Exchange Online requires one MX and no fallback.{expectedNote}",
                expectedNote.Length > 0
                    ? $"Publish '@ MX 0 {keep}.' alone (the value Exchange Online gave) and delete the MX of {drop}."
                    : $"Once mail arrives through {keep}, publish '@ MX 0 {keep}.' alone and delete the MX of {drop}.");
        }
        var preference = hosts[0].Preference;
        if (expectedNote.Length > 0)
        {
            return new InboundCheck(K, InboundCheckStatus.Fail, InboundCodes.NewOnly, $"The only MX of {domain} is {newHost}.{expectedNote}",
                $"Publish '@ MX {preference} {expected}.' in place of {newHost}.");
        }
        if (preference is not (0 or 10))
        {
            return new InboundCheck(K, InboundCheckStatus.Fail, InboundCodes.NewOnly,
                $"The only MX of {domain} is {newHost} at preference {preference}; Exchange Online requires preference 0 or 10.",
                $"Publish '@ MX 0 {newHost}.' in place of the preference {preference} record.");
        }
        return new InboundCheck(K, InboundCheckStatus.Pass, InboundCodes.NewOnly, $"The only MX of {domain} is {newHost} at preference {preference}.");
    }

    private static InboundCheck TtlCheck(string mxCode, uint? ttl, bool fromRrsig, InboundReadinessOptions options)
    {
        const InboundCheckKind K = InboundCheckKind.MxTtl;
        if (ttl is null) return new InboundCheck(K, InboundCheckStatus.NotChecked, "NoMx", "No MX RRset.");
        var what = fromRrsig ? $"The MX TTL is {ttl} s (the RRSIG's Original TTL)" : $"The MX TTL is {ttl} s (as served: no valid RRSIG covers the MX RRset)";
        bool moving = mxCode is InboundCodes.LegacyOnly or InboundCodes.NewWithOthers;
        if (moving && ttl > options.MaxTtlDuringMoveSeconds)
        {
            return new InboundCheck(K, InboundCheckStatus.Warning, "HighTtlDuringMove",
                $"{what}: senders keep the old MX that long after a change.",
                $"Lower the MX TTL to 300 s (or at most {options.MaxTtlDuringMoveSeconds} s) a TTL ahead of the switch; restore it afterwards.");
        }
        if (mxCode == InboundCodes.NewOnly && ttl < 3600)
        {
            return new InboundCheck(K, InboundCheckStatus.Information, "LowTtlAfterMove",
                $"{what}, a value for the move.", "Restore the MX TTL (e.g. 3600 s) once the move is done.");
        }
        return new InboundCheck(K, InboundCheckStatus.Pass, "Ttl", $"{what}.");
    }

    private static InboundCheck AddressCheck(string newHost, DaneMxHostResult? host)
    {
        const InboundCheckKind K = InboundCheckKind.MxHostAddresses;
        if (host is null) return new InboundCheck(K, InboundCheckStatus.NotChecked, "NoNewHost", "No new MX host to check.");
        return host.AddressStatus == DnssecStatus.Secure
            ? new InboundCheck(K, InboundCheckStatus.Pass, InboundCodes.Secure, $"The addresses of {newHost} are Secure.")
            : new InboundCheck(K, InboundCheckStatus.Fail, host.AddressStatusText,
                $"The addresses of {newHost} are {host.AddressStatus}: senders do not look up TLSA for it (RFC 7672 section 2.2.2). {host.Reason}",
                $"Check that the MX value is exactly what Enable-DnssecForVerifiedDomain returned; Exchange Online signs {newHost}.");
    }

    private static InboundCheck TlsaCheck(string domain, string newHost, DaneMxHostResult? host, bool addressesSecure)
    {
        const InboundCheckKind K = InboundCheckKind.Tlsa;
        var owner = $"_25._tcp.{newHost}";
        if (host is null || !addressesSecure) return new InboundCheck(K, InboundCheckStatus.NotChecked, "NotLookedUp", "TLSA is looked up only for a new host with Secure addresses.");
        if (host.TlsaStatus == DnssecStatus.Secure && host.UsableTlsaRecords.Count > 0)
        {
            var unusable = host.UnusableTlsaRecords.Count > 0 ? $" {host.UnusableTlsaRecords.Count} more record(s) are unusable." : string.Empty;
            return new InboundCheck(K, InboundCheckStatus.Pass, "Usable", $"{owner} has {host.UsableTlsaRecords.Count} usable Secure TLSA record(s).{unusable}");
        }
        if (host.TlsaStatus == DnssecStatus.Secure && host.TlsaRecords.Count > 0)
        {
            return new InboundCheck(K, InboundCheckStatus.Fail, "NoUsableTlsa",
                $"{owner} has TLSA records but none is usable (DANE-TA or DANE-EE): senders require TLS without authentication.",
                $"Run Disable-SmtpDaneInbound and then Enable-SmtpDaneInbound -DomainName {domain}; open a case with Microsoft if it stays.");
        }
        if (host.TlsaStatus is DnssecStatus.Secure or DnssecStatus.Insecure)
        {
            return new InboundCheck(K, InboundCheckStatus.Fail, "NoTlsa", $"No Secure TLSA RRset at {owner}.",
                $"Run Enable-SmtpDaneInbound -DomainName {domain}; Microsoft publishes TLSA at {owner} within 15-30 minutes.");
        }
        return new InboundCheck(K, InboundCheckStatus.Fail, host.TlsaStatusText.Length > 0 ? host.TlsaStatusText : "NotLookedUp",
            $"The TLSA lookup at {owner} failed ({host.TlsaStatusText}): senders defer mail. {host.Reason}",
            $"If mail is deferred, run Disable-SmtpDaneInbound -DomainName {domain} and open a case with Microsoft.");
    }

    private static InboundCheck ProbeCheck(string domain, string newHost, DaneMxHostResult? host, bool tlsaUsable, bool dnsOnly)
    {
        const InboundCheckKind K = InboundCheckKind.StartTlsProbe;
        if (host is null || !tlsaUsable) return new InboundCheck(K, InboundCheckStatus.NotChecked, "NoUsableTlsa", "The probe is judged only against usable Secure TLSA records.");
        if (dnsOnly) return new InboundCheck(K, InboundCheckStatus.NotChecked, "DnsOnly", "DNS only: no STARTTLS probe was made.", "Run without -DnsOnly to probe the new host.");
        if (host.Outcome != DaneHostOutcome.Authenticated)
        {
            return new InboundCheck(K, InboundCheckStatus.Fail, host.OutcomeText, $"{newHost}: {host.Reason}",
                $"If DANE senders' mail fails ({host.ExchangeOnlineNdr}), run Disable-SmtpDaneInbound -DomainName {domain} and open a case with Microsoft.");
        }
        var matched = host.Addresses.Select(a => a.MatchedRecord).Where(r => r is not null).Select(r => r!.ToString()).Distinct().ToList();
        var extra = host.UsableTlsaRecords.Count(r => !matched.Contains(r.ToString()));
        return extra > 0
            ? new InboundCheck(K, InboundCheckStatus.Pass, "MatchedWithExtra",
                $"Every address of {newHost} presents a certificate matching its TLSA records; {extra} other record(s) match nothing yet (next keys published ahead: information, not a failure).")
            : new InboundCheck(K, InboundCheckStatus.Pass, "Matched", $"Every address of {newHost} presents a certificate matching its TLSA records.");
    }

    private static InboundCheck MtaStsCheck(string domain, string newHost, MtaStsPolicyResult? sts)
    {
        const InboundCheckKind K = InboundCheckKind.MtaSts;
        if (sts is null) return new InboundCheck(K, InboundCheckStatus.NotChecked, "Skipped", "MTA-STS was not checked (-SkipMtaSts).");
        if (!sts.Published) return new InboundCheck(K, InboundCheckStatus.Information, "NoPolicy", $"{domain} publishes no MTA-STS policy.");
        if (sts.Policy is null)
        {
            var problem = sts.Problems.Count > 0 ? sts.Problems[0].ToString() : "no policy";
            return new InboundCheck(K, InboundCheckStatus.Fail, "PolicyUnavailable", $"{domain} publishes an MTA-STS record but no usable policy ({problem}).",
                $"Serve a valid policy at {sts.PolicyUrl}.");
        }
        var mode = sts.Mode;
        if (newHost.Length == 0)
            return new InboundCheck(K, InboundCheckStatus.Information, mode.ToString(), $"MTA-STS policy in mode {mode.ToString().ToLowerInvariant()}, mx {string.Join(", ", sts.MxPatterns)}.");
        if (!sts.MxPatterns.Any(p => MtaStsMxPattern.Matches(p, newHost)))
        {
            return new InboundCheck(K, mode == MtaStsMode.Enforce ? InboundCheckStatus.Fail : InboundCheckStatus.Warning, "NewHostNotListed",
                $"The MTA-STS policy ({mode.ToString().ToLowerInvariant()}) does not list {newHost} (mx {string.Join(", ", sts.MxPatterns)})" +
                (mode == MtaStsMode.Enforce ? "; MTA-STS senders refuse it (4.4.8)." : "."),
                $"Add 'mx: {newHost}' to {sts.PolicyUrl} and publish a new id in the _mta-sts.{domain} TXT record.");
        }
        return mode == MtaStsMode.Enforce
            ? new InboundCheck(K, InboundCheckStatus.Pass, "Listed", $"The MTA-STS policy (enforce) lists {newHost}.")
            : new InboundCheck(K, InboundCheckStatus.Information, "ListedNotEnforced", $"The MTA-STS policy ({mode.ToString().ToLowerInvariant()}) lists {newHost}.",
                "Once the move is verified, set 'mode: enforce' and publish a new id in the _mta-sts TXT record.");
    }

    // Information only: RFC 8460 section 1.1 puts DANE results under the TLSA base domain's policy (the MX host's,
    // Microsoft's for mx.microsoft), so the domain's own record receives its MTA-STS results, not its DANE ones.
    private static InboundCheck TlsRptCheck(string domain, string newHost, DaneLookupResult? lookup)
    {
        const InboundCheckKind K = InboundCheckKind.TlsRpt;
        var owner = "_smtp._tls." + domain;
        if (lookup is null) return new InboundCheck(K, InboundCheckStatus.NotChecked, "NotLookedUp", $"TXT at {owner} was not looked up.");
        var dane = newHost.Length > 0 ? $" DANE results for {newHost} go to _smtp._tls.{newHost} (the TLSA base domain, RFC 8460 section 1.1), not to this record." : string.Empty;
        if (lookup.Status is not (DnssecStatus.Secure or DnssecStatus.Insecure))
            return new InboundCheck(K, InboundCheckStatus.Information, "LookupFailed", $"The TXT lookup at {owner} gave {lookup.Status}.");
        var records = lookup.Records.Where(r => r.IndexOf("v=TLSRPTv1", StringComparison.OrdinalIgnoreCase) >= 0).ToList();
        return records.Count == 0
            ? new InboundCheck(K, InboundCheckStatus.Information, "NoTlsRpt", $"{domain} publishes no TLS-RPT record at {owner}.{dane}",
                $"Publish '{owner}. TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}\"' to receive senders' reports.")
            : new InboundCheck(K, InboundCheckStatus.Information, "Published", $"{owner}: {string.Join(" ", records)}.{dane}");
    }
}
