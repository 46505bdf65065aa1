using System.Collections.Generic;

namespace DaneTools.Core.Dane;

/// <summary>The result of matching a TLSA RRset against a presented chain. Immutable.</summary>
public sealed class TlsaMatchResult
{
    internal TlsaMatchResult(TlsaMatchOutcome outcome, TlsaRecord? matchedRecord, int matchDepth, string reason,
        IReadOnlyList<PresentedCertificate> chain, TlsaUsableSet records)
    {
        Outcome = outcome;
        MatchedRecord = matchedRecord;
        MatchDepth = matchDepth;
        Reason = reason;
        Chain = chain;
        Records = records;
    }

    /// <summary>Gets the verdict.</summary>
    public TlsaMatchOutcome Outcome { get; }

    /// <summary>Gets whether the server was authenticated.</summary>
    public bool IsAuthenticated => Outcome == TlsaMatchOutcome.Authenticated;

    /// <summary>
    /// Gets the failure class for reporting: <see cref="TlsaFailureKind.CertificateHostMismatch"/> for
    /// NameMismatch, <see cref="TlsaFailureKind.CertificateExpired"/> for CertificateExpired (only reachable under
    /// DANE-TA and PKIX usages), <see cref="TlsaFailureKind.None"/> for Authenticated and NoUsableRecords, else
    /// <see cref="TlsaFailureKind.TlsaInvalid"/>.
    /// </summary>
    public TlsaFailureKind FailureKind => Outcome switch
    {
        TlsaMatchOutcome.Authenticated => TlsaFailureKind.None,
        TlsaMatchOutcome.NoUsableRecords => TlsaFailureKind.None,
        TlsaMatchOutcome.NameMismatch => TlsaFailureKind.CertificateHostMismatch,
        TlsaMatchOutcome.CertificateExpired => TlsaFailureKind.CertificateExpired,
        _ => TlsaFailureKind.TlsaInvalid,
    };

    /// <summary>Gets the record that matched, or null when none did (also set when later checks failed).</summary>
    public TlsaRecord? MatchedRecord { get; }

    /// <summary>
    /// Gets the depth of the match in the verified chain as OpenSSL reports it: 0 for the leaf, 1 for its issuer,
    /// and so on, counting certificates taken from DNS or the trust store; for a bare public key trust anchor
    /// (<c>2 1 0</c>) the depth of the top-most certificate, the one the key signed; -1 when nothing matched.
    /// </summary>
    public int MatchDepth { get; }

    /// <summary>Gets one sentence explaining the verdict.</summary>
    public string Reason { get; }

    /// <summary>Gets the chain as presented, leaf first.</summary>
    public IReadOnlyList<PresentedCertificate> Chain { get; }

    /// <summary>Gets the usable and unusable records of the RRset.</summary>
    public TlsaUsableSet Records { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Outcome} (depth {MatchDepth}): {Reason}";
}
