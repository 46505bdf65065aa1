using DaneTools.Core.Dane;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Outbound;

/// <summary>One MX host under both policies, as Exchange Online would treat it (DESIGN section "MTA-STS beside DANE"). Immutable.</summary>
public sealed class OutboundHostVerdict
{
    internal OutboundHostVerdict(string hostName, int preference, DaneHostOutcome daneOutcome, MtaStsHostResult mtaSts, string decidedBy,
        bool? delivers, string ndr, string tlsRptResultType, string reason)
    {
        HostName = hostName;
        Preference = preference;
        DaneOutcome = daneOutcome;
        MtaSts = mtaSts;
        DecidedBy = decidedBy;
        Delivers = delivers;
        Ndr = ndr;
        TlsRptResultType = tlsRptResultType;
        Reason = reason;
    }

    /// <summary>Gets the MX host name.</summary>
    public string HostName { get; }

    /// <summary>Gets the MX preference.</summary>
    public int Preference { get; }

    /// <summary>Gets the DANE verdict for the host as Exchange Online reaches it.</summary>
    public DaneHostOutcome DaneOutcome { get; }

    /// <summary>Gets <see cref="DaneOutcome"/> as a name.</summary>
    public string DaneOutcomeText => DaneOutcome.ToString();

    /// <summary>Gets the MTA-STS verdict for the host (judged whatever the mode).</summary>
    public MtaStsHostResult MtaSts { get; }

    /// <summary>Gets <see cref="MtaStsHostResult.Outcome"/> as a name.</summary>
    public string MtaStsOutcomeText => MtaSts.OutcomeText;

    /// <summary>Gets which policy decided: <c>tlsa</c> (DANE applies), <c>sts</c> (an enforce policy, no DANE) or <c>none</c>.</summary>
    public string DecidedBy { get; }

    /// <summary>Gets whether a sender would deliver to this host; null when it cannot be told (DNS only).</summary>
    public bool? Delivers { get; }

    /// <summary>Gets the final Exchange Online code for this host's failure, or an empty string.</summary>
    public string Ndr { get; }

    /// <summary>Gets the RFC 8460 result type of this host's failure (reported in testing mode too), or an empty string.</summary>
    public string TlsRptResultType { get; }

    /// <summary>Gets one sentence explaining the verdict.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Preference} {HostName}: {DecidedBy}: {(Delivers is null ? "unknown" : Delivers.Value ? "delivers" : "fails")}: {Reason}";
}
