using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;

namespace DaneTools.Core.Dane;

/// <summary>
/// The RFC 7672 verdict for one recipient domain, with the Exchange Online prediction, the TLS-RPT result type, warnings
/// and every MX host's detail. Immutable; holds no reference to the resolver.
/// </summary>
/// <remarks>Statuses are enums with a <c>...Text</c> string twin, so JSON and CLIXML keep the names; times are UTC.</remarks>
public sealed class DaneDomainResult
{
    internal DaneDomainResult(string domainName, DaneStatus status, string reasonCode, string reason,
        DaneStatus exchangeOnlineStatus, DaneFailureKind exchangeOnlineFailureKind, DaneFailureKind failureKind,
        DaneMxKind mxKind, DnssecStatus mxStatus, DaneLookupResult mxLookup, IReadOnlyList<DaneMxHostResult> mxHosts,
        IReadOnlyList<string> warnings, bool dnsOnly, DateTime validationTimeUtc, double elapsedMilliseconds)
    {
        DomainName = domainName;
        Status = status;
        ReasonCode = reasonCode;
        Reason = reason;
        ExchangeOnlineStatus = exchangeOnlineStatus;
        ExchangeOnlineFailureKind = exchangeOnlineFailureKind;
        FailureKind = failureKind;
        MxKind = mxKind;
        MxStatus = mxStatus;
        MxLookup = mxLookup;
        MxHosts = new TextList<DaneMxHostResult>(mxHosts);
        Warnings = new TextList<string>(warnings);
        DnsOnly = dnsOnly;
        ValidationTimeUtc = validationTimeUtc;
        ElapsedMilliseconds = elapsedMilliseconds;
    }

    /// <summary>Gets the recipient domain checked (A-label, lower case, no trailing dot).</summary>
    public string DomainName { get; }

    /// <summary>Gets the RFC 7672 verdict as Postfix applies it (DESIGN section 6); DnsPass instead of Pass when <see cref="DnsOnly"/>.</summary>
    public DaneStatus Status { get; }

    /// <summary>Gets <see cref="Status"/> as a name.</summary>
    public string StatusText => Status.ToString();

    /// <summary>Gets a stable code for the rule that gave the verdict, e.g. <c>DomainDoesNotExist</c>, <c>NullMx</c>,
    /// <c>MxBogus</c>, <c>MxLookupFailed</c>, <c>AllHostsDnsFailure</c>, <c>NoMxHostExists</c>, <c>NoHostCanTakeMail</c>, <c>SomeHostsFailed</c>,
    /// <c>AllHostsDane</c>, <c>SomeHostsWithoutDane</c>, <c>NoDane</c>.</summary>
    public string ReasonCode { get; }

    /// <summary>Gets the explanation, short enough for a table's last column.</summary>
    public string Reason { get; }

    /// <summary>Gets the verdict Exchange Online would reach (it applies DANE only after a secure MX and secure addresses).</summary>
    public DaneStatus ExchangeOnlineStatus { get; }

    /// <summary>Gets <see cref="ExchangeOnlineStatus"/> as a name.</summary>
    public string ExchangeOnlineStatusText => ExchangeOnlineStatus.ToString();

    /// <summary>Gets the failure class behind <see cref="ExchangeOnlineNdr"/>, or None.</summary>
    public DaneFailureKind ExchangeOnlineFailureKind { get; }

    /// <summary>The <see cref="ExchangeOnlineNdr"/> of a DNS-only result whose delivery DNS alone cannot prove.</summary>
    public const string NdrNotKnown = "unknown: certificates not checked (-DnsOnly)";

    /// <summary>Gets the final NDR code Exchange Online would give (e.g. <c>5.7.323 tlsa-invalid</c>); empty on Pass, Degraded and
    /// NotApplicable. DNS only (DESIGN section 6): empty only where DNS alone proves delivery, i.e. NotApplicable, or DnsPass and
    /// Degraded when a host that can take mail has no DANE (a sender falls back to it); otherwise DnsPass and Degraded give
    /// <see cref="NdrNotKnown"/>, since the certificates that would decide were not checked.</summary>
    public string ExchangeOnlineNdr => ExchangeOnlineStatus switch
    {
        DaneStatus.DnsPass or DaneStatus.Degraded when DnsOnly && !MxHosts.Any(h => h.ExchangeOnlineOutcome == DaneHostOutcome.NoDane) => NdrNotKnown,
        DaneStatus.Pass or DaneStatus.DnsPass or DaneStatus.Degraded or DaneStatus.NotApplicable => string.Empty,
        _ => DaneFailureCodes.ExchangeOnlineFinal(ExchangeOnlineFailureKind),
    };

    /// <summary>Gets the enhanced status code of <see cref="ExchangeOnlineNdr"/> alone (e.g. <c>5.7.323</c>), <c>unknown</c> when
    /// certificates not checked (-DnsOnly) decide, or an empty string: the table view's NDR column.</summary>
    public string ExchangeOnlineNdrCode => DaneShortReason.NdrCode(ExchangeOnlineNdr);

    /// <summary>Gets a few words on what decided the verdict and where (e.g. <c>no TLSA matches: mx.example.com</c>): the table
    /// view's Reason column; <see cref="Reason"/> has the whole sentence.</summary>
    public string ShortReason => DaneShortReason.For(this);

    /// <summary>Gets the next step: what to do about the failure, whose action it is and the exact record where one is known
    /// (<see cref="DaneRemedy"/>); null when nothing needs doing.</summary>
    public DaneRemedy? NextStep => DaneRemedy.For(this);

    /// <summary>Gets the failure class of the most preferred failing host under RFC 7672 (or of the MX lookup), or None.</summary>
    public DaneFailureKind FailureKind { get; }

    /// <summary>Gets <see cref="FailureKind"/> as a name.</summary>
    public string FailureKindText => FailureKind.ToString();

    /// <summary>Gets the RFC 8460 result type of <see cref="FailureKind"/>, or an empty string.</summary>
    public string TlsRptResultType => DaneFailureCodes.TlsRptResultType(FailureKind);

    /// <summary>Gets the RFC 8460 policy type a TLS-RPT report would carry: <c>no-policy-found</c> when no DANE policy applies
    /// (NotApplicable, NoMail) or the MX lookup failed without any DNSSEC evidence (Indeterminate: no policy was found),
    /// else <c>tlsa</c> (including a policy whose DNSSEC data is bogus: the domain signalled DNSSEC).</summary>
    /// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-4.4"/>
    public string TlsRptPolicyType =>
        Status is DaneStatus.NotApplicable or DaneStatus.NoMail || MxStatus == DnssecStatus.Indeterminate ? "no-policy-found" : "tlsa";

    /// <summary>Gets what the MX lookup gave.</summary>
    public DaneMxKind MxKind { get; }

    /// <summary>Gets <see cref="MxKind"/> as a name.</summary>
    public string MxKindText => MxKind.ToString();

    /// <summary>Gets the DNSSEC status of the MX lookup.</summary>
    public DnssecStatus MxStatus { get; }

    /// <summary>Gets <see cref="MxStatus"/> as a name.</summary>
    public string MxStatusText => MxStatus.ToString();

    /// <summary>Gets the MX lookup.</summary>
    public DaneLookupResult MxLookup { get; }

    /// <summary>Gets the number of MX hosts checked.</summary>
    public int MxHostCount => MxHosts.Count;

    /// <summary>Gets the MX hosts in preference order.</summary>
    public IReadOnlyList<DaneMxHostResult> MxHosts { get; }

    /// <summary>Gets the warnings: expiring certificates or RRSIGs, SHA-1 algorithms, NSEC3 parameters, TLSA sets whose several records all match the current key (a single record is information, in -Verbose),
    /// hosts not covered by DANE.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets whether the verdict was reached from DNS alone, without SMTP probes.</summary>
    public bool DnsOnly { get; }

    /// <summary>Gets the time, UTC, at which dates were judged.</summary>
    public DateTime ValidationTimeUtc { get; }

    /// <summary>Gets how long the check took, in milliseconds.</summary>
    public double ElapsedMilliseconds { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{DomainName}: {Status}: {Reason}";
}
