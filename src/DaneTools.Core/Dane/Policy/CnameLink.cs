using System;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Dane;

/// <summary>One CNAME record followed while resolving a name, with its own DNSSEC status. Immutable.</summary>
/// <remarks>RFC 7672 sections 2.2.2 and 2.2.3 need each link's status: a secure first link lets TLSA be looked up at the
/// original name even when a later link is insecure.</remarks>
public sealed class CnameLink
{
    /// <summary>Creates a link.</summary>
    /// <param name="owner">The name that holds the CNAME.</param>
    /// <param name="target">The CNAME target.</param>
    /// <param name="status">The DNSSEC status of this CNAME RRset.</param>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> or <paramref name="target"/> is null.</exception>
    public CnameLink(DnsName owner, DnsName target, DnssecStatus status)
    {
        Owner = owner ?? throw new ArgumentNullException(nameof(owner));
        Target = target ?? throw new ArgumentNullException(nameof(target));
        Status = status;
    }

    /// <summary>Gets the name that holds the CNAME.</summary>
    public DnsName Owner { get; }

    /// <summary>Gets the CNAME target.</summary>
    public DnsName Target { get; }

    /// <summary>Gets the DNSSEC status of this link.</summary>
    public DnssecStatus Status { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Owner} CNAME {Target} ({Status})";
}
