using System.Collections.Generic;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;

namespace DaneTools.Core.Dane;

/// <summary>The RFC 7672 check of one MX host: its address and TLSA lookups, TLSA records and per-address results. Immutable.</summary>
public sealed class DaneMxHostResult
{
    internal DaneMxHostResult(string domainName, string hostName, int preference, bool isImplicit, DnssecStatus addressStatus,
        string expandedHostName, IReadOnlyList<DaneLookupResult> addressLookups, string tlsaBaseDomain,
        IReadOnlyList<DaneLookupResult> tlsaLookups, DnssecStatus? tlsaStatus, IReadOnlyList<TlsaRecord> tlsaRecords,
        TlsaUsableSet? usableSet, DaneRequirement requirement, IReadOnlyList<string> referenceIdentifiers,
        IReadOnlyList<DaneAddressResult> addresses, DaneHostOutcome outcome, DaneFailureKind failureKind,
        DaneHostOutcome exchangeOnlineOutcome, DaneFailureKind exchangeOnlineFailureKind, string reason)
    {
        DomainName = domainName;
        HostName = hostName;
        Preference = preference;
        IsImplicit = isImplicit;
        AddressStatus = addressStatus;
        ExpandedHostName = expandedHostName;
        AddressLookups = new TextList<DaneLookupResult>(addressLookups);
        TlsaBaseDomain = tlsaBaseDomain;
        TlsaLookups = new TextList<DaneLookupResult>(tlsaLookups);
        TlsaStatus = tlsaStatus;
        TlsaRecords = new TextList<TlsaRecord>(tlsaRecords);
        UsableTlsaRecords = new TextList<TlsaRecord>(usableSet?.Usable);
        UnusableTlsaRecords = new TextList<TlsaUnusableRecord>(usableSet?.Unusable);
        Requirement = requirement;
        ReferenceIdentifiers = new TextList<string>(referenceIdentifiers);
        Addresses = new TextList<DaneAddressResult>(addresses);
        Outcome = outcome;
        FailureKind = failureKind;
        ExchangeOnlineOutcome = exchangeOnlineOutcome;
        ExchangeOnlineFailureKind = exchangeOnlineFailureKind;
        Reason = reason;
    }

    /// <summary>Gets the recipient domain checked.</summary>
    public string DomainName { get; }

    /// <summary>Gets the MX host name as the MX record gives it (the domain itself for an implicit MX), without trailing dot.</summary>
    public string HostName { get; }

    /// <summary>Gets the MX preference (0 for an implicit MX).</summary>
    public int Preference { get; }

    /// <summary>Gets whether this is the implicit MX (the domain itself, RFC 5321 section 5.1).</summary>
    public bool IsImplicit { get; }

    /// <summary>Gets the DNSSEC status of the A and AAAA lookups together (the weakest).</summary>
    public DnssecStatus AddressStatus { get; }

    /// <summary>Gets <see cref="AddressStatus"/> as a name.</summary>
    public string AddressStatusText => AddressStatus.ToString();

    /// <summary>Gets the fully CNAME-expanded host name (the host name itself without CNAME).</summary>
    public string ExpandedHostName { get; }

    /// <summary>Gets the A and AAAA lookups.</summary>
    public IReadOnlyList<DaneLookupResult> AddressLookups { get; }

    /// <summary>Gets the TLSA base domain (RFC 7672 section 2.2.3): where the secure TLSA RRset was found; empty when none applies.</summary>
    public string TlsaBaseDomain { get; }

    /// <summary>Gets the TLSA lookups made, in order (CNAME-expanded name first, then the original name).</summary>
    public IReadOnlyList<DaneLookupResult> TlsaLookups { get; }

    /// <summary>Gets the DNSSEC status of the TLSA lookup that decided, or null when TLSA was not looked up.</summary>
    public DnssecStatus? TlsaStatus { get; }

    /// <summary>Gets <see cref="TlsaStatus"/> as a name, or an empty string.</summary>
    public string TlsaStatusText => TlsaStatus?.ToString() ?? string.Empty;

    /// <summary>Gets the TLSA records at the TLSA base domain.</summary>
    public IReadOnlyList<TlsaRecord> TlsaRecords { get; }

    /// <summary>Gets the usable TLSA records (DANE-TA/DANE-EE, well formed, after digest agility, RFC 7671 section 9).</summary>
    public IReadOnlyList<TlsaRecord> UsableTlsaRecords { get; }

    /// <summary>Gets the TLSA records left out, each with its reason.</summary>
    public IReadOnlyList<TlsaUnusableRecord> UnusableTlsaRecords { get; }

    /// <summary>Gets what the TLSA lookup requires of the session.</summary>
    public DaneRequirement Requirement { get; }

    /// <summary>Gets <see cref="Requirement"/> as a name.</summary>
    public string RequirementText => Requirement.ToString();

    /// <summary>Gets the reference identifiers used for DANE-TA name checks (RFC 7672 section 3.2.2).</summary>
    public IReadOnlyList<string> ReferenceIdentifiers { get; }

    /// <summary>Gets the per-address results, IPv4 first.</summary>
    public IReadOnlyList<DaneAddressResult> Addresses { get; }

    /// <summary>Gets the host verdict under RFC 7672 (every address must pass).</summary>
    public DaneHostOutcome Outcome { get; }

    /// <summary>Gets <see cref="Outcome"/> as a name.</summary>
    public string OutcomeText => Outcome.ToString();

    /// <summary>Gets the failure class, or None.</summary>
    public DaneFailureKind FailureKind { get; }

    /// <summary>Gets <see cref="FailureKind"/> as a name.</summary>
    public string FailureKindText => FailureKind.ToString();

    /// <summary>Gets the host verdict as Exchange Online would reach it (DANE only after a secure MX and secure addresses).</summary>
    public DaneHostOutcome ExchangeOnlineOutcome { get; }

    /// <summary>Gets <see cref="ExchangeOnlineOutcome"/> as a name.</summary>
    public string ExchangeOnlineOutcomeText => ExchangeOnlineOutcome.ToString();

    /// <summary>Gets the failure class under Exchange Online's view, or None.</summary>
    public DaneFailureKind ExchangeOnlineFailureKind { get; }

    /// <summary>Gets the final Exchange Online code for this host's failure, or an empty string.</summary>
    public string ExchangeOnlineNdr => DaneFailureCodes.ExchangeOnlineFinal(ExchangeOnlineFailureKind);

    /// <summary>Gets the RFC 8460 result type of this host's failure, or an empty string.</summary>
    public string TlsRptResultType => DaneFailureCodes.TlsRptResultType(FailureKind);

    /// <summary>Gets one sentence explaining the verdict.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Preference} {HostName}: {Outcome}: {Reason}";
}
