using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dane;
using DaneTools.Core.Outbound;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Delivery;

/// <summary>
/// The read-only pre-flight for one recipient domain: the recipients there and the RFC 7672 DNS decisions of the policy
/// engine (<see cref="DaneDomainChecker"/> without SMTP probes) that delivery will follow, and the MTA-STS policy (RFC 8461)
/// with each MX host's name judged against it. Immutable.
/// </summary>
public sealed class DaneDeliveryPlan
{
    internal DaneDeliveryPlan(string domainName, IReadOnlyList<string> recipients, DaneDomainResult policy, DaneMailMode mode, int port,
        MtaStsMailMode mtaStsMode = MtaStsMailMode.None, MtaStsPolicyResult? mtaSts = null)
    {
        DomainName = domainName;
        RecipientAddress = recipients;
        Policy = policy;
        Mode = mode;
        MtaStsMode = mtaStsMode;
        MtaSts = mtaStsMode == MtaStsMailMode.Opportunistic ? mtaSts : null;
        // The name check needs no session (RFC 8461 section 4.1); the certificate is judged in the delivering session.
        var validator = new WebPkiValidator(useSystemTrust: false);
        MtaStsHosts = new TextList<MtaStsHostResult>(policy.MxHosts
            .Select(h => MtaStsHostResult.Evaluate(MtaSts?.Policy, h.HostName, null, validator, policy.ValidationTimeUtc)).ToList());
        Hosts = policy.MxHosts.Select((h, i) => Describe(h, mode, port) + DescribeMtaSts(h, MtaStsHosts[i])).ToList().AsReadOnly();
        CanAttempt = policy.MxKind is DaneMxKind.Mx or DaneMxKind.ImplicitMx && policy.MxHosts.Any(h => Usable(h, mode) && !MtaStsRefuses(h));
        string who = string.Join(", ", recipients);
        if (CanAttempt)
            Summary = $"{who} via {string.Join("; then ", Hosts.Where((_, i) => Usable(policy.MxHosts[i], mode) && !MtaStsRefuses(policy.MxHosts[i])))}";
        else if (mode == DaneMailMode.Mandatory && policy.MxHosts.Any(h => Usable(h, DaneMailMode.Enforce)))
            // Say what -WhatIf would do, not the DNS-only verdict (issue 15).
            Summary = $"{who}: would not be sent: -DaneMode Mandatory requires usable TLSA records and no MX host has any " +
                "(dane-required); a DaneRequired error, the message kept in -FailedMessagePath";
        else if (policy.MxHosts.Any(h => Usable(h, mode)))
            Summary = $"{who}: would not be sent: the MTA-STS policy (enforce) refuses every MX host: " +
                string.Join("; ", Hosts.Where((_, i) => Usable(policy.MxHosts[i], mode))) + "; an MtaStsValidationFailed error, the message kept in -FailedMessagePath";
        else
            Summary = $"{who}: not deliverable ({policy.Status}: {policy.Reason})";
    }

    /// <summary>Gets the recipient domain (A-label, lower case).</summary>
    public string DomainName { get; }

    /// <summary>Gets the recipients at this domain (To, Cc and Bcc), as given.</summary>
    public IReadOnlyList<string> RecipientAddress { get; }

    /// <summary>Gets the DNS-only policy result of the domain (MX, addresses, TLSA per host).</summary>
    public DaneDomainResult Policy { get; }

    /// <summary>Gets the DANE mode the plan was made for.</summary>
    public DaneMailMode Mode { get; }

    /// <summary>Gets whether the MTA-STS policy was looked up and applied (<see cref="MtaStsMailMode.None"/>: ignored).</summary>
    public MtaStsMailMode MtaStsMode { get; }

    /// <summary>Gets the recipient domain's MTA-STS discovery and policy (RFC 8461 section 3), or null under
    /// <see cref="MtaStsMailMode.None"/>.</summary>
    public MtaStsPolicyResult? MtaSts { get; }

    /// <summary>Gets each MX host's name judged against the MTA-STS policy (RFC 8461 section 4.1), in the order of
    /// <see cref="DaneDomainResult.MxHosts"/>: <c>MxNotListed</c>, or <c>NotChecked</c> (the certificate is judged in the session);
    /// <c>NoPolicy</c> without an applicable policy.</summary>
    public IReadOnlyList<MtaStsHostResult> MtaStsHosts { get; }

    /// <summary>Gets the policy mode the sender applies: <c>NoPolicy</c> without a usable policy or under <see cref="MtaStsMailMode.None"/>.</summary>
    public MtaStsMode MtaStsPolicyMode => MtaSts?.Mode ?? Sts.MtaStsMode.NoPolicy;

    /// <summary>Gets one line per MX host in preference order: addresses, SNI, what the session requires, and what MTA-STS requires.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>Gets whether any MX host may be tried (false for a deferred MX lookup, null MX, no such domain, or no usable host).</summary>
    public bool CanAttempt { get; }

    /// <summary>Gets the recipients, MX hosts and policy in one line (the -WhatIf target).</summary>
    public string Summary { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{DomainName}: {Summary}";

    /// <summary>Tells whether a host may be tried at all: its DNS lookups worked and, under Mandatory, it has usable TLSA records.</summary>
    internal static bool Usable(DaneMxHostResult host, DaneMailMode mode) =>
        host.Requirement != DaneRequirement.HostUnusable && host.Outcome != DaneHostOutcome.DnsFailure &&
        (mode != DaneMailMode.Mandatory || host.Requirement == DaneRequirement.DaneMandatory);

    /// <summary>Tells whether the MTA-STS policy decides this host: enforce mode and no DANE (the host's TLSA requirement is
    /// None). Where DANE applies it decides, as in <see cref="OutboundVerdictCombiner"/> (DESIGN section 6a).</summary>
    internal bool MtaStsEnforces(DaneMxHostResult host) => MtaStsPolicyMode == Sts.MtaStsMode.Enforce && host.Requirement == DaneRequirement.None;

    /// <summary>Tells whether the MTA-STS policy also judges (and reports) the delivering session of this host: enforce or testing, no DANE.</summary>
    internal bool MtaStsJudges(DaneMxHostResult host) =>
        MtaStsPolicyMode is Sts.MtaStsMode.Enforce or Sts.MtaStsMode.Testing && host.Requirement == DaneRequirement.None;

    /// <summary>Tells whether the policy refuses the host before any connection: enforce, no DANE, and no mx pattern covers its name.</summary>
    internal bool MtaStsRefuses(DaneMxHostResult host) =>
        MtaStsEnforces(host) && MtaStsHosts[Policy.MxHosts.ToList().IndexOf(host)].Outcome == MtaStsHostOutcome.MxNotListed;

    private string DescribeMtaSts(DaneMxHostResult h, MtaStsHostResult sts)
    {
        var mode = MtaStsPolicyMode;
        if (mode is not (Sts.MtaStsMode.Enforce or Sts.MtaStsMode.Testing) || h.Requirement == DaneRequirement.HostUnusable) return string.Empty;
        string name = mode == Sts.MtaStsMode.Enforce ? "enforce" : "testing";
        if (h.Requirement != DaneRequirement.None)
            return sts.Outcome == MtaStsHostOutcome.MxNotListed
                ? $"; MTA-STS {name}: {DaneMailSender.Problem(sts)}; DANE applies and decides"
                : string.Empty;
        if (sts.Outcome == MtaStsHostOutcome.MxNotListed)
            return mode == Sts.MtaStsMode.Enforce
                ? $"; refused by MTA-STS (enforce): {DaneMailSender.Problem(sts)}, {OutboundVerdictCombiner.MxNotListedNdr(DomainName)}"
                : $"; MTA-STS testing: {DaneMailSender.Problem(sts)}, reported, delivered";
        return $"; MTA-STS {name}: STARTTLS, TLS 1.2+ and a WebPKI-valid certificate for {sts.HostName} required" +
            (mode == Sts.MtaStsMode.Enforce ? " (checked in the session before MAIL FROM)" : " (reported, not required)");
    }

    private static string Describe(DaneMxHostResult h, DaneMailMode mode, int port)
    {
        string what = h.Requirement switch
        {
            DaneRequirement.DaneMandatory => $"DANE required ({h.UsableTlsaRecords.Count} usable TLSA record(s) at _{port}._tcp.{h.TlsaBaseDomain})",
            DaneRequirement.TlsMandatory => "TLS required, no authentication (secure TLSA RRset without usable records)",
            DaneRequirement.HostUnusable => "unusable: " + h.Reason,
            _ => "opportunistic STARTTLS (no DANE)",
        };
        if (h.Outcome == DaneHostOutcome.DnsFailure && h.Requirement != DaneRequirement.HostUnusable) what = "unusable: " + h.Reason;
        if (mode == DaneMailMode.Mandatory && h.Requirement is DaneRequirement.None or DaneRequirement.TlsMandatory)
            what += "; skipped: -DaneMode Mandatory requires usable TLSA records (dane-required)";
        string addresses = string.Join(", ", h.Addresses.Select(a => a.Address));
        string sni = h.TlsaBaseDomain.Length > 0 && !string.Equals(h.TlsaBaseDomain, h.HostName, StringComparison.OrdinalIgnoreCase) ? $" SNI {h.TlsaBaseDomain}" : string.Empty;
        return $"{h.Preference} {h.HostName} [{addresses}]{sni}: {what}";
    }
}
