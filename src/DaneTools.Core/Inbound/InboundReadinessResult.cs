using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dane;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Inbound;

/// <summary>
/// Where one accepted domain stands in the move to Exchange Online inbound SMTP DANE: its stage, every check with its next
/// step, and the sender's view (what a DANE-enforcing sender concludes). Immutable; times are UTC.
/// </summary>
public sealed class InboundReadinessResult
{
    internal InboundReadinessResult(string domainName, string? expectedMxHost, IReadOnlyList<InboundCheck> checks,
        IReadOnlyList<string> mxHosts, string newMxHost, uint? mxTtlSeconds, DaneDomainResult dane, MtaStsPolicyResult? mtaSts)
    {
        DomainName = domainName;
        ExpectedMxHost = expectedMxHost ?? string.Empty;
        Checks = new TextList<InboundCheck>(checks);
        Stage = InboundStageTable.StageOf(Checks);
        MxHosts = new TextList<string>(mxHosts);
        NewMxHost = newMxHost;
        MxTtlSeconds = mxTtlSeconds;
        Dane = dane;
        MtaSts = mtaSts;
    }

    /// <summary>Gets the accepted domain checked (A-label, lower case, no trailing dot).</summary>
    public string DomainName { get; }

    /// <summary>Gets the stage (DESIGN section 6b).</summary>
    public InboundStage Stage { get; }

    /// <summary>Gets <see cref="Stage"/> as a name.</summary>
    public string StageText => Stage.ToString();

    /// <summary>Gets the checks, in the order of <see cref="InboundCheckKind"/>.</summary>
    public IReadOnlyList<InboundCheck> Checks { get; }

    /// <summary>Gets the first failing check (or, when none fails, the first warning), or null when every check holds.</summary>
    public InboundCheck? FirstProblem =>
        Checks.FirstOrDefault(c => c.Status == InboundCheckStatus.Fail) ?? Checks.FirstOrDefault(c => c.Status == InboundCheckStatus.Warning);

    /// <summary>Gets the next step of <see cref="FirstProblem"/>, or an empty string.</summary>
    public string NextStep => FirstProblem?.NextStep ?? string.Empty;

    /// <summary>Gets the MX host Exchange Online gave, or an empty string when none was given.</summary>
    public string ExpectedMxHost { get; }

    /// <summary>Gets the MX hosts published, in preference order, as <c>preference host</c>.</summary>
    public IReadOnlyList<string> MxHosts { get; }

    /// <summary>Gets the new (<c>mx.microsoft</c>) MX host published, or an empty string.</summary>
    public string NewMxHost { get; }

    /// <summary>Gets the TTL of the MX RRset, in seconds, or null without one: the RRSIG's Original TTL (the TTL the zone
    /// publishes, RFC 4034 section 3.1.4) when the RRset is signed, else the TTL served (which counts down in caches).</summary>
    public uint? MxTtlSeconds { get; }

    /// <summary>Gets the sender's view: the RFC 7672 verdict a DANE-enforcing sender reaches for the domain.</summary>
    public DaneStatus SenderStatus => Dane.Status;

    /// <summary>Gets <see cref="SenderStatus"/> as a name.</summary>
    public string SenderStatusText => Dane.StatusText;

    /// <summary>Gets the verdict Exchange Online as a sender would reach.</summary>
    public string ExchangeOnlineStatusText => Dane.ExchangeOnlineStatusText;

    /// <summary>Gets the NDR code Exchange Online as a sender would give, or an empty string.</summary>
    public string ExchangeOnlineNdr => Dane.ExchangeOnlineNdr;

    /// <summary>Gets the full DANE result the checks were read from (Test-DaneDomain's object).</summary>
    public DaneDomainResult Dane { get; }

    /// <summary>Gets the MTA-STS result, or null when MTA-STS was skipped.</summary>
    public MtaStsPolicyResult? MtaSts { get; }

    /// <summary>Gets the time, UTC, at which dates were judged.</summary>
    public DateTime ValidationTimeUtc => Dane.ValidationTimeUtc;

    /// <inheritdoc/>
    public override string ToString() => $"{DomainName}: {Stage}" + (NextStep.Length > 0 ? $": {NextStep}" : string.Empty);
}
