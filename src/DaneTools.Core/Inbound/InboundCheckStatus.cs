namespace DaneTools.Core.Inbound;

/// <summary>The status of one inbound readiness check.</summary>
public enum InboundCheckStatus
{
    /// <summary>The check holds.</summary>
    Pass,

    /// <summary>The check does not hold: its next step says what to do.</summary>
    Fail,

    /// <summary>The check holds but something needs attention (e.g. a high TTL during the move).</summary>
    Warning,

    /// <summary>A fact worth knowing that is not a failure (e.g. extra TLSA records a provider publishes for its next keys).</summary>
    Information,

    /// <summary>The check could not run because an earlier one failed, or it was skipped (-DnsOnly, -SkipMtaSts).</summary>
    NotChecked,
}
