using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dane;
using DaneTools.Core.Reporting;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Outbound;

/// <summary>
/// Combines the RFC 7672 verdict (<see cref="DaneDomainResult"/>) with the MTA-STS policy (<see cref="MtaStsPolicyResult"/>)
/// into Exchange Online's outbound verdict. Per MX host, MTA-STS is judged from the host name, the policy's mx patterns and
/// the chain the STARTTLS probe already captured (<see cref="DaneAddressResult.PresentedChain"/>), validated under WebPKI
/// for the MX host name. Stateless and thread-safe.
/// </summary>
public static class OutboundVerdictCombiner
{
    /// <summary>The final code for an MX host no mx pattern covers (EXCHANGE.md section 1.5).</summary>
    public static string MxNotListedNdr(string domain) => $"5.4.8 MX hosts of {domain} failed MTA-STS validation";

    /// <summary>The final code for an MX host whose certificate fails MTA-STS (EXCHANGE.md section 1.5).</summary>
    public static string CertificateNdr(string reason) => $"5.7.5 Remote certificate failed MTA-STS validation. Reason: {reason}";

    /// <summary>Combines the two verdicts.</summary>
    /// <param name="dane">The DANE check of the domain.</param>
    /// <param name="mtaSts">The MTA-STS discovery of the same domain.</param>
    /// <param name="validator">Validates the MX hosts' chains under WebPKI.</param>
    /// <returns>The combined verdict.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static OutboundVerdict Combine(DaneDomainResult dane, MtaStsPolicyResult mtaSts, WebPkiValidator validator)
    {
        if (dane is null) throw new ArgumentNullException(nameof(dane));
        if (mtaSts is null) throw new ArgumentNullException(nameof(mtaSts));
        if (validator is null) throw new ArgumentNullException(nameof(validator));
        var policy = mtaSts.Policy;
        var warnings = new List<string>(mtaSts.Warnings);
        warnings.AddRange(MtaStsPolicyChecker.CoverageWarnings(policy, dane.MxHosts.Select(h => h.HostName)));
        var stsHosts = dane.MxHosts.Select(h => MtaStsHostResult.Evaluate(policy, h.HostName, Sessions(h), validator, dane.ValidationTimeUtc)).ToList();

        var hosts = new List<OutboundHostVerdict>();
        var strictHosts = new List<OutboundHostVerdict>();
        for (int i = 0; i < dane.MxHosts.Count; i++)
        {
            hosts.Add(Judge(dane, dane.MxHosts[i], stsHosts[i], policy, danePrecedence: true));
            strictHosts.Add(Judge(dane, dane.MxHosts[i], stsHosts[i], policy, danePrecedence: false));
        }
        foreach (var h in hosts.Where(h => h.DecidedBy == "tlsa" && h.Delivers == true && policy?.Mode == MtaStsMode.Enforce && h.MtaSts.Outcome is MtaStsHostOutcome.MxNotListed or MtaStsHostOutcome.CertificateInvalid))
            warnings.Add($"{h.HostName} fails the MTA-STS enforce policy ({h.MtaSts.Reason}); DANE authenticates it, which is assumed to decide.");
        if (policy?.Mode == MtaStsMode.Testing)
            foreach (var s in stsHosts.Where(s => s.Outcome is MtaStsHostOutcome.MxNotListed or MtaStsHostOutcome.CertificateInvalid))
                warnings.Add($"Testing mode: {s.Reason} ({s.ResultType}; reported, delivery goes on).");

        var (status, ndr, reason) = Domain(dane, policy, hosts);
        var (strictStatus, strictNdr, _) = Domain(dane, policy, strictHosts);

        string policyType = dane.TlsRptPolicyType == "tlsa" ? "tlsa" : mtaSts.Published ? "sts" : "no-policy-found";
        string resultType = policyType switch
        {
            "tlsa" => dane.TlsRptResultType.Length > 0 ? dane.TlsRptResultType : hosts.Select(h => h.TlsRptResultType).FirstOrDefault(t => t.Length > 0) ?? string.Empty,
            "sts" => mtaSts.ResultType.Length > 0 ? mtaSts.ResultType : hosts.Select(h => h.TlsRptResultType).FirstOrDefault(t => t.Length > 0) ?? string.Empty,
            _ => string.Empty,
        };
        return new OutboundVerdict(dane.DomainName, dane.ExchangeOnlineStatus, dane.ExchangeOnlineNdr, mtaSts, status, ndr, strictStatus, strictNdr,
            policyType, resultType, hosts, warnings, reason);
    }

    private static IReadOnlyList<MtaStsHostResult.Session> Sessions(DaneMxHostResult host) =>
        host.Addresses.Where(a => a.Probed && a.Banner is not null) // no SMTP greeting: a connection failure, not an MTA-STS matter
            .Select(a => new MtaStsHostResult.Session(a.Address, a.PresentedChain.Select(c => c.GetDer()).ToList(), a.TlsVersion, a.ProbeError))
            .ToList();

    private static OutboundHostVerdict Judge(DaneDomainResult dane, DaneMxHostResult host, MtaStsHostResult sts, MtaStsPolicy? policy, bool danePrecedence)
    {
        var dOutcome = host.ExchangeOnlineOutcome;
        bool enforce = policy?.Mode == MtaStsMode.Enforce;
        string stsType = sts.ResultType;
        OutboundHostVerdict V(string by, bool? delivers, string ndr, string type, string reason) =>
            new(host.HostName, host.Preference, dOutcome, sts, by, delivers, ndr, type, reason);

        if (dOutcome is DaneHostOutcome.AuthFailure or DaneHostOutcome.TlsFailure or DaneHostOutcome.DnsFailure)
            return V("tlsa", false, DaneFailureCodes.ExchangeOnlineFinal(host.ExchangeOnlineFailureKind), DaneFailureCodes.TlsRptResultType(host.ExchangeOnlineFailureKind),
                $"DANE fails ({host.Reason}); MTA-STS cannot override a failing DANE validation (RFC 8461 section 2).");
        if (dOutcome is DaneHostOutcome.Authenticated or DaneHostOutcome.TlsOnly)
        {
            bool? daneDelivers = dane.DnsOnly ? null : true;
            if (danePrecedence || !enforce || sts.Outcome == MtaStsHostOutcome.Valid)
                return V("tlsa", daneDelivers, string.Empty, string.Empty, dane.DnsOnly ? "DANE applies; certificates not checked (DNS only)." : $"DANE {dOutcome}.");
            return StsFailure(V, host, sts, dane, "tlsa+sts");
        }
        // No DANE: the MTA-STS policy decides in enforce mode, only reports in testing mode.
        if (!enforce)
            return V("none", true, string.Empty, policy?.Mode == MtaStsMode.Testing ? stsType : string.Empty,
                policy?.Mode == MtaStsMode.Testing ? $"No DANE; MTA-STS testing: {sts.Reason}" : "No DANE and no MTA-STS policy in force: opportunistic TLS.");
        return StsFailure(V, host, sts, dane, "sts");
    }

    private static OutboundHostVerdict StsFailure(Func<string, bool?, string, string, string, OutboundHostVerdict> v, DaneMxHostResult host, MtaStsHostResult sts,
        DaneDomainResult dane, string by) => sts.Outcome switch
    {
        MtaStsHostOutcome.Valid => v(by, true, string.Empty, string.Empty, sts.Reason),
        MtaStsHostOutcome.MxNotListed => v(by, false, MxNotListedNdr(dane.DomainName), sts.ResultType, sts.Reason),
        MtaStsHostOutcome.CertificateInvalid => v(by, false, CertificateNdr(sts.Reason), sts.ResultType, sts.Reason),
        _ when dane.DnsOnly => v(by, null, string.Empty, string.Empty, $"{sts.Reason} (DNS only)"),
        _ => v(by, false, DaneFailureCodes.ExchangeOnlineFinal(DaneFailureKind.ConnectionFailed), string.Empty, $"{host.HostName}: no SMTP session to judge ({host.Reason})."),
    };

    private static (DaneStatus Status, string Ndr, string Reason) Domain(DaneDomainResult dane, MtaStsPolicy? policy, IReadOnlyList<OutboundHostVerdict> hosts)
    {
        bool stsDecides = policy?.Mode == MtaStsMode.Enforce && hosts.Any(h => h.DecidedBy != "tlsa");
        bool strictDiffers = hosts.Any(h => h.DecidedBy == "tlsa+sts");
        if (!(stsDecides || strictDiffers) || dane.ExchangeOnlineStatus is DaneStatus.NoMail or DaneStatus.Deferred || hosts.Count == 0)
            return (dane.ExchangeOnlineStatus, dane.ExchangeOnlineNdr, policy?.Mode == MtaStsMode.Enforce ? "DANE decides every MX host." : "No MTA-STS enforce policy: the DANE verdict stands.");
        bool anyDeliver = hosts.Any(h => h.Delivers == true);
        bool anyFail = hosts.Any(h => h.Delivers == false);
        bool anyUnknown = hosts.Any(h => h.Delivers is null);
        var firstFail = hosts.FirstOrDefault(h => h.Delivers == false);
        if (anyDeliver && !anyFail) return (anyUnknown && dane.DnsOnly ? DaneStatus.DnsPass : DaneStatus.Pass, string.Empty, "Every MX host passes DANE or the MTA-STS enforce policy.");
        if (anyDeliver) return (DaneStatus.Degraded, string.Empty, $"Delivers, but {firstFail!.HostName} fails: {firstFail.Reason}");
        if (anyUnknown) return (DaneStatus.DnsPass, DaneDomainResult.NdrNotKnown, "Certificates decide, and were not checked (DNS only).");
        return (DaneStatus.Fail, firstFail!.Ndr, $"No MX host passes: {firstFail.Reason}");
    }
}
