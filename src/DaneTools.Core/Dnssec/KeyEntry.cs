using System;
using System.Collections.Generic;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// What the validator knows about one zone's keys: a validated DNSKEY RRset (Secure), a proof that the zone is
/// unsigned (Insecure), or a failure with its reason (Bogus); with the time it may be reused until.
/// </summary>
/// <remarks>Follows Unbound's <c>val_kentry</c> (good / null / bad). Immutable; shared through <see cref="ValidationCache"/>.</remarks>
public sealed class KeyEntry
{
    internal KeyEntry(DnsName zone, DnssecStatus status, IReadOnlyList<DnskeyRecord> keys, ValidationReason? reason,
        DateTime expiresUtc, DateTime windowStart, DateTime windowEnd, DnssecZoneLink link, IReadOnlyList<string> warnings)
    {
        Zone = zone;
        Status = status;
        Keys = keys;
        Reason = reason;
        ExpiresUtc = expiresUtc;
        WindowStart = windowStart;
        WindowEnd = windowEnd;
        Link = link;
        Warnings = warnings;
    }

    /// <summary>Gets the zone apex.</summary>
    public DnsName Zone { get; }

    /// <summary>Gets Secure (keys validated), Insecure (proven unsigned), Bogus or Indeterminate.</summary>
    public DnssecStatus Status { get; }

    /// <summary>Gets the validated DNSKEY RRset (empty unless Secure).</summary>
    public IReadOnlyList<DnskeyRecord> Keys { get; }

    /// <summary>Gets why the entry is not Secure, or null.</summary>
    public ValidationReason? Reason { get; }

    /// <summary>Gets when (clock time, UTC) the entry stops being reusable: the smallest TTL involved, capped.</summary>
    public DateTime ExpiresUtc { get; }

    /// <summary>Gets the earliest validation time (UTC) the entry holds for (latest RRSIG inception used).</summary>
    public DateTime WindowStart { get; }

    /// <summary>Gets the latest validation time (UTC) the entry holds for (earliest RRSIG expiration used).</summary>
    public DateTime WindowEnd { get; }

    /// <summary>Gets the zone's link for results.</summary>
    public DnssecZoneLink Link { get; }

    internal IReadOnlyList<string> Warnings { get; }

    /// <summary>Formats as <c>zone: Status</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Zone}: {Status}";
}
