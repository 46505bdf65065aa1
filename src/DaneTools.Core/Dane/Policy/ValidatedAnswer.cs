using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Dane;

/// <summary>The DNSSEC-validated answer to one question, as the RFC 7672 policy needs it. Immutable.</summary>
/// <remarks>
/// <see cref="Status"/> is the weakest status along the whole answer: every CNAME link and the final RRset or its
/// denial. A proven absence is Secure with <see cref="IsNxDomain"/> or <see cref="IsNoData"/> set (reason code
/// <c>NameDoesNotExist</c> or <c>NoData</c>); an unsigned absence is Insecure with the same flags. Indeterminate means the
/// question got no usable answer (timeout, SERVFAIL without proof of bogus data); Bogus means validation failed.
/// </remarks>
public sealed class ValidatedAnswer
{
    /// <summary>Creates an answer.</summary>
    /// <param name="name">The query name.</param>
    /// <param name="type">The query type.</param>
    /// <param name="status">The weakest status along the answer.</param>
    /// <param name="reason">Why the status is what it is (<see cref="ReasonCodes"/>); null for a Secure positive answer.</param>
    /// <param name="records">The final RRset (owner = the CNAME-expanded name); null means none.</param>
    /// <param name="cnameChain">The CNAME links followed, in order; null means none.</param>
    /// <param name="isNxDomain">True when the (expanded) name does not exist.</param>
    /// <param name="isNoData">True when the (expanded) name exists without records of the type.</param>
    /// <param name="earliestSignatureExpiration">The earliest RRSIG expiration, UTC, among the signatures that made the answer
    /// secure (including the keys and DS records on the path); null when nothing was signed.</param>
    /// <param name="warnings">Facts worth a warning (SHA-1 algorithms, NSEC3 iterations or salt); null means none.</param>
    /// <param name="originalTtlSeconds">The Original TTL field of the RRSIG that validated the final RRset (RFC 4034
    /// section 3.1.4); null when no valid RRSIG covers it (unsigned, Bogus, or no records).</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public ValidatedAnswer(DnsName name, DnsRecordType type, DnssecStatus status, ValidationReason? reason,
        IEnumerable<ResourceRecord>? records = null, IEnumerable<CnameLink>? cnameChain = null, bool isNxDomain = false,
        bool isNoData = false, DateTime? earliestSignatureExpiration = null, IEnumerable<string>? warnings = null,
        uint? originalTtlSeconds = null)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Type = type;
        Status = status;
        Reason = reason;
        Records = (records ?? Enumerable.Empty<ResourceRecord>()).ToList().AsReadOnly();
        CnameChain = (cnameChain ?? Enumerable.Empty<CnameLink>()).ToList().AsReadOnly();
        IsNxDomain = isNxDomain;
        IsNoData = isNoData;
        EarliestSignatureExpiration = earliestSignatureExpiration is DateTime t
            ? (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc))
            : null;
        Warnings = (warnings ?? Enumerable.Empty<string>()).ToList().AsReadOnly();
        OriginalTtlSeconds = originalTtlSeconds;
    }

    /// <summary>Gets the query name.</summary>
    public DnsName Name { get; }

    /// <summary>Gets the query type.</summary>
    public DnsRecordType Type { get; }

    /// <summary>Gets the weakest DNSSEC status along the answer.</summary>
    public DnssecStatus Status { get; }

    /// <summary>Gets why the status is what it is, or null for a Secure positive answer.</summary>
    public ValidationReason? Reason { get; }

    /// <summary>Gets the final RRset (may be empty).</summary>
    public IReadOnlyList<ResourceRecord> Records { get; }

    /// <summary>Gets the CNAME links followed, in order.</summary>
    public IReadOnlyList<CnameLink> CnameChain { get; }

    /// <summary>Gets whether the (expanded) name does not exist.</summary>
    public bool IsNxDomain { get; }

    /// <summary>Gets whether the (expanded) name exists but has no records of the type.</summary>
    public bool IsNoData { get; }

    /// <summary>Gets the earliest RRSIG expiration on the validation path, UTC, or null.</summary>
    public DateTime? EarliestSignatureExpiration { get; }

    /// <summary>Gets the TTL the zone publishes for the final RRset, in seconds: the Original TTL of the RRSIG that
    /// validated it (RFC 4034 section 3.1.4; RFC 4035 section 5.3.3: the served TTL, counted down by caches, must not
    /// exceed it); null when no valid RRSIG covers the RRset (unsigned), where only the served TTL of
    /// <see cref="Records"/> is known.</summary>
    public uint? OriginalTtlSeconds { get; }

    /// <summary>Gets warnings raised while validating.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets the fully CNAME-expanded name: the last link's target, or the query name.</summary>
    public DnsName ExpandedName => CnameChain.Count > 0 ? CnameChain[CnameChain.Count - 1].Target : Name;

    /// <summary>Gets whether the answer could be used at all: Secure or Insecure (Bogus and Indeterminate cannot).</summary>
    public bool IsUsable => Status == DnssecStatus.Secure || Status == DnssecStatus.Insecure;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Type}: {Status}" + (Reason is null ? string.Empty : $" ({Reason.Code})") + $", {Records.Count} record(s)";
}
