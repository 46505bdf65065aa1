using System.Collections.Generic;
using DaneTools.Core.Dane;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Outbound;

/// <summary>
/// Exchange Online's outbound verdict for one recipient domain with DANE (RFC 7672) and MTA-STS (RFC 8461) together.
/// Immutable.
/// </summary>
/// <remarks>
/// Where DANE applies to a host (secure, usable TLSA) its DANE verdict decides: a DANE failure fails whatever MTA-STS says
/// (RFC 8461 section 2), and a DANE pass is assumed to excuse an MTA-STS enforce failure (<see cref="Status"/>; the RFC is
/// silent and Exchange Online undocumented: DESIGN gives the reasons). <see cref="StrictStatus"/> is the outcome if both
/// were required. Where DANE does not apply, an <c>enforce</c> policy decides: an MX host no pattern covers gives 4/5.4.8,
/// a certificate that fails WebPKI gives 4/5.7.5; <c>testing</c> only reports.
/// </remarks>
public sealed class OutboundVerdict
{
    internal OutboundVerdict(string domainName, DaneStatus daneStatus, string daneNdr, MtaStsPolicyResult mtaSts, DaneStatus status, string ndr,
        DaneStatus strictStatus, string strictNdr, string tlsRptPolicyType, string tlsRptResultType, IReadOnlyList<OutboundHostVerdict> hosts,
        IReadOnlyList<string> warnings, string reason)
    {
        DomainName = domainName;
        DaneStatus = daneStatus;
        DaneNdr = daneNdr;
        MtaSts = mtaSts;
        Status = status;
        ExchangeOnlineNdr = ndr;
        StrictStatus = strictStatus;
        StrictNdr = strictNdr;
        TlsRptPolicyType = tlsRptPolicyType;
        TlsRptResultType = tlsRptResultType;
        Hosts = new TextList<OutboundHostVerdict>(hosts);
        Warnings = new TextList<string>(warnings);
        Reason = reason;
    }

    /// <summary>The assumption behind <see cref="Status"/>, for help and reports.</summary>
    public const string Assumption = "Where DANE applies to an MX host, its DANE verdict decides (a DANE pass excuses an MTA-STS enforce failure); assumed, Exchange Online does not document it.";

    /// <summary>Gets the recipient domain.</summary>
    public string DomainName { get; }

    /// <summary>Gets the DANE verdict alone as Exchange Online reaches it (<see cref="DaneDomainResult.ExchangeOnlineStatus"/>).</summary>
    public DaneStatus DaneStatus { get; }

    /// <summary>Gets the DANE NDR alone (<see cref="DaneDomainResult.ExchangeOnlineNdr"/>).</summary>
    public string DaneNdr { get; }

    /// <summary>Gets the MTA-STS discovery and fetch.</summary>
    public MtaStsPolicyResult MtaSts { get; }

    /// <summary>Gets the mode a sender applies.</summary>
    public MtaStsMode MtaStsMode => MtaSts.Mode;

    /// <summary>Gets <see cref="MtaStsMode"/> as a name.</summary>
    public string MtaStsModeText => MtaSts.ModeText;

    /// <summary>Gets the combined verdict (DANE decides where it applies; assumed, see <see cref="Assumption"/>).</summary>
    public DaneStatus Status { get; }

    /// <summary>Gets <see cref="Status"/> as a name.</summary>
    public string StatusText => Status.ToString();

    /// <summary>Gets the final NDR Exchange Online would give under <see cref="Status"/> (e.g. <c>5.4.8 MX hosts of contoso.com failed
    /// MTA-STS validation</c>), or an empty string when it delivers.</summary>
    public string ExchangeOnlineNdr { get; }

    /// <summary>Gets the verdict if a DANE pass did not excuse an MTA-STS enforce failure (both required).</summary>
    public DaneStatus StrictStatus { get; }

    /// <summary>Gets <see cref="StrictStatus"/> as a name.</summary>
    public string StrictStatusText => StrictStatus.ToString();

    /// <summary>Gets the NDR under <see cref="StrictStatus"/>, or an empty string.</summary>
    public string StrictNdr { get; }

    /// <summary>Gets the RFC 8460 policy type: <c>tlsa</c> when DANE applies, <c>sts</c> when an MTA-STS policy is published
    /// (valid or not), else <c>no-policy-found</c>.</summary>
    public string TlsRptPolicyType { get; }

    /// <summary>Gets the RFC 8460 result type of the failure (a testing-mode failure too), or an empty string.</summary>
    public string TlsRptResultType { get; }

    /// <summary>Gets every MX host under both policies, in preference order.</summary>
    public IReadOnlyList<OutboundHostVerdict> Hosts { get; }

    /// <summary>Gets remarks: testing-mode failures, a DANE pass excusing an MTA-STS failure, patterns and hosts that do not meet.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets one sentence explaining the verdict.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{DomainName}: {Status} (DANE {DaneStatus}, MTA-STS {MtaStsModeText}): {Reason}";
}
