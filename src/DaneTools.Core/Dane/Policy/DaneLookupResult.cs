using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Dane;

/// <summary>One validated DNS lookup made during a DANE check, as plain data for reports. Immutable.</summary>
public sealed class DaneLookupResult
{
    internal DaneLookupResult(ValidatedAnswer answer)
    {
        QueryName = DaneDomainChecker.Display(answer.Name);
        Type = answer.Type.ToString();
        Status = answer.Status;
        ReasonCode = answer.Reason?.Code ?? string.Empty;
        Reason = answer.Reason?.Message ?? string.Empty;
        var zone = answer.Reason?.Zone;
        ReasonZone = zone is null ? string.Empty : zone == "." ? zone : zone.TrimEnd('.');
        ExtendedDnsError = answer.Reason?.ExtendedDnsError;
        _records = answer.Records;
        Records = answer.Records.Select(r => r.ToString()).ToList().AsReadOnly();
        CnameChain = answer.CnameChain.Select(c => c.ToString()).ToList().AsReadOnly();
        IsNxDomain = answer.IsNxDomain;
        IsNoData = answer.IsNoData;
        EarliestSignatureExpirationUtc = answer.EarliestSignatureExpiration;
        OriginalTtlSeconds = answer.OriginalTtlSeconds;
    }

    /// <summary>Gets the query name, without trailing dot.</summary>
    public string QueryName { get; }

    /// <summary>Gets the query type, e.g. <c>TLSA</c>.</summary>
    public string Type { get; }

    /// <summary>Gets the DNSSEC status of the answer (weakest link of its CNAME chain).</summary>
    public DnssecStatus Status { get; }

    /// <summary>Gets <see cref="Status"/> as a name.</summary>
    public string StatusText => Status.ToString();

    /// <summary>Gets the validation reason code, e.g. <c>NoData</c>; empty for a Secure positive answer.</summary>
    public string ReasonCode { get; }

    /// <summary>Gets the validation reason sentence; empty for a Secure positive answer.</summary>
    public string Reason { get; }

    /// <summary>Gets the zone the reason concerns, without trailing dot (<c>.</c> for the root), or an empty string: for a
    /// Bogus answer the zone whose link of the chain is broken (e.g. the child zone whose DNSKEY no DS matches).</summary>
    public string ReasonZone { get; }

    /// <summary>Gets the RFC 8914 Extended DNS Error number, or null.</summary>
    public int? ExtendedDnsError { get; }

    private readonly IReadOnlyList<ResourceRecord> _records;

    /// <summary>Gets the final RRset in presentation form.</summary>
    public IReadOnlyList<string> Records { get; }

    /// <summary>Returns the validated RRset itself (owner, TTL, wire RDATA), in the order of <see cref="Records"/>, for the
    /// typed readers in <c>Dns</c>. A method, so the serialised result keeps only the text.</summary>
    /// <returns>The records.</returns>
    public IReadOnlyList<ResourceRecord> GetResourceRecords() => _records;

    /// <summary>Gets the CNAME links followed, e.g. <c>a.example. CNAME b.example. (Secure)</c>.</summary>
    public IReadOnlyList<string> CnameChain { get; }

    /// <summary>Gets whether the name does not exist.</summary>
    public bool IsNxDomain { get; }

    /// <summary>Gets whether the name exists without records of the type.</summary>
    public bool IsNoData { get; }

    /// <summary>Gets the earliest RRSIG expiration on the validation path, UTC, or null.</summary>
    public DateTime? EarliestSignatureExpirationUtc { get; }

    /// <summary>Gets the TTL the zone publishes for the final RRset, in seconds: the Original TTL of its validating RRSIG
    /// (RFC 4034 section 3.1.4), which does not count down in caches as the served TTL in <see cref="Records"/> does;
    /// null when no valid RRSIG covers the RRset (unsigned).</summary>
    public uint? OriginalTtlSeconds { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{QueryName} {Type}: {Status} ({ReasonCode})";
}
