using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Inbound;

/// <summary>
/// The stage of an accepted domain in the move to inbound SMTP DANE, as a pure function of its checks (DESIGN section 6b).
/// </summary>
public static class InboundStageTable
{
    /// <summary>Decides the stage from the checks, first rule that applies: MX lookup without evidence → Unknown; no MX or no
    /// Exchange Online host → NotExchangeOnline; DNSSEC chain not Pass → NotSigned; legacy host only → SignedLegacyMx; new host
    /// beside another MX → MigrationInProgress; new host only but addresses or TLSA not Pass → MxMigrated; probe Pass, MX
    /// RRset and MTA-STS not Fail → DaneVerified; else DaneEnabled.</summary>
    /// <param name="checks">The checks; a kind that is missing counts as NotChecked.</param>
    /// <returns>The stage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checks"/> is null.</exception>
    public static InboundStage StageOf(IReadOnlyList<InboundCheck> checks)
    {
        if (checks is null) throw new ArgumentNullException(nameof(checks));
        InboundCheck? Find(InboundCheckKind kind) => checks.FirstOrDefault(c => c.Kind == kind);
        InboundCheckStatus StatusOf(InboundCheckKind kind) => Find(kind)?.Status ?? InboundCheckStatus.NotChecked;

        var dnssec = Find(InboundCheckKind.DnssecChain);
        var mxCode = Find(InboundCheckKind.MxRecordSet)?.Code ?? InboundCodes.MxLookupFailed;
        if (dnssec is null || dnssec.Code == InboundCodes.Indeterminate) return InboundStage.Unknown;
        if (mxCode is InboundCodes.NoMx or InboundCodes.NoExchangeOnlineHost) return InboundStage.NotExchangeOnline;
        if (dnssec.Status != InboundCheckStatus.Pass || mxCode == InboundCodes.MxLookupFailed) return InboundStage.NotSigned;
        if (mxCode == InboundCodes.LegacyOnly) return InboundStage.SignedLegacyMx;
        if (mxCode == InboundCodes.NewWithOthers) return InboundStage.MigrationInProgress;
        if (StatusOf(InboundCheckKind.MxHostAddresses) != InboundCheckStatus.Pass || StatusOf(InboundCheckKind.Tlsa) != InboundCheckStatus.Pass)
            return InboundStage.MxMigrated;
        return StatusOf(InboundCheckKind.StartTlsProbe) == InboundCheckStatus.Pass && StatusOf(InboundCheckKind.MtaSts) != InboundCheckStatus.Fail
            && StatusOf(InboundCheckKind.MxRecordSet) != InboundCheckStatus.Fail
            ? InboundStage.DaneVerified
            : InboundStage.DaneEnabled;
    }
}
