using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dane;

namespace DaneTools.Core.Delivery;

/// <summary>
/// The read-only pre-flight for one recipient domain: the recipients there and the RFC 7672 DNS decisions of the policy
/// engine (<see cref="DaneDomainChecker"/> without SMTP probes) that delivery will follow. Immutable.
/// </summary>
public sealed class DaneDeliveryPlan
{
    internal DaneDeliveryPlan(string domainName, IReadOnlyList<string> recipients, DaneDomainResult policy, DaneMailMode mode, int port)
    {
        DomainName = domainName;
        RecipientAddress = recipients;
        Policy = policy;
        Mode = mode;
        Hosts = policy.MxHosts.Select(h => Describe(h, mode, port)).ToList().AsReadOnly();
        CanAttempt = policy.MxKind is DaneMxKind.Mx or DaneMxKind.ImplicitMx && policy.MxHosts.Any(h => Usable(h, mode));
        Summary = CanAttempt
            ? $"{string.Join(", ", recipients)} via {string.Join("; then ", Hosts.Where((_, i) => Usable(policy.MxHosts[i], mode)))}"
            : mode == DaneMailMode.Mandatory && policy.MxHosts.Any(h => Usable(h, DaneMailMode.Enforce))
                // Say what -WhatIf would do, not the DNS-only verdict (issue 15).
                ? $"{string.Join(", ", recipients)}: would not be sent: -DaneMode Mandatory requires usable TLSA records and no MX host has any " +
                  "(dane-required); a DaneRequired error, the message kept in -FailedMessagePath"
                : $"{string.Join(", ", recipients)}: not deliverable ({policy.Status}: {policy.Reason})";
    }

    /// <summary>Gets the recipient domain (A-label, lower case).</summary>
    public string DomainName { get; }

    /// <summary>Gets the recipients at this domain (To, Cc and Bcc), as given.</summary>
    public IReadOnlyList<string> RecipientAddress { get; }

    /// <summary>Gets the DNS-only policy result of the domain (MX, addresses, TLSA per host).</summary>
    public DaneDomainResult Policy { get; }

    /// <summary>Gets the DANE mode the plan was made for.</summary>
    public DaneMailMode Mode { get; }

    /// <summary>Gets one line per MX host in preference order: addresses, SNI and what the session requires.</summary>
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
