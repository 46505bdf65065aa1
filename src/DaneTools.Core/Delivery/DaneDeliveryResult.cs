using System;
using System.Collections.Generic;
using DaneTools.Core.Dane;
using DaneTools.Core.Reporting;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Delivery;

/// <summary>
/// What <see cref="DaneMailSender"/> did with a message for one recipient domain: the MX host and address used, the DANE
/// outcome and TLS parameters, the server's final reply, delivered or not (temporary or permanent), the NDR code Exchange
/// Online would give, the TLS-RPT result type, the MTA-STS policy applied, every try with its transcript, and the .eml written
/// when not delivered.
/// Immutable; statuses have a <c>...Text</c> string twin for JSON and CLIXML.
/// </summary>
public sealed class DaneDeliveryResult
{
    internal DaneDeliveryResult(DaneDeliveryPlan plan, string messageId, DaneDeliveryStatus status, DaneDeliveryReason deliveryReason, string reasonCode, string reason,
        DaneFailureKind failureKind, string exchangeOnlineNdr, string tlsRptResultType, DaneDeliveryAttempt? used,
        IReadOnlyList<string> rejectedRecipients, string serverReply, string failedMessagePath, IReadOnlyList<DaneDeliveryAttempt> attempts,
        DateTime timeUtc, TimeSpan elapsed)
    {
        DomainName = plan.DomainName;
        RecipientAddress = new TextList<string>(plan.RecipientAddress);
        Mode = plan.Mode;
        Policy = plan.Policy;
        MtaStsMode = plan.MtaStsMode;
        MtaSts = plan.MtaSts;
        MtaStsPolicyMode = plan.MtaStsPolicyMode;
        MtaStsOutcome = used?.MtaSts?.Outcome;
        MessageId = messageId;
        Status = status;
        DeliveryReason = deliveryReason;
        ReasonCode = reasonCode;
        Reason = reason;
        FailureKind = failureKind;
        ExchangeOnlineNdr = exchangeOnlineNdr;
        TlsRptResultType = tlsRptResultType;
        HostName = used?.HostName ?? string.Empty;
        Address = used?.Address ?? string.Empty;
        Port = used?.Port ?? 0;
        DaneOutcome = used?.Outcome;
        Requirement = used?.Requirement;
        TlsVersion = used?.TlsVersion;
        CipherAlgorithm = used?.CipherAlgorithm;
        MatchedTlsaRecord = used?.MatchedTlsaRecord ?? string.Empty;
        Transcript = new TextList<string>(used?.Transcript ?? (attempts.Count > 0 ? attempts[attempts.Count - 1].Transcript : Array.Empty<string>()));
        RejectedRecipients = new TextList<string>(rejectedRecipients);
        ServerReply = serverReply;
        FailedMessagePath = failedMessagePath;
        Attempts = new TextList<DaneDeliveryAttempt>(attempts);
        TimeUtc = timeUtc;
        ElapsedMilliseconds = Math.Round(elapsed.TotalMilliseconds, 1);
    }

    /// <summary>Gets the recipient domain (A-label, lower case).</summary>
    public string DomainName { get; }

    /// <summary>Gets the recipients at this domain (To, Cc and Bcc).</summary>
    public IReadOnlyList<string> RecipientAddress { get; }

    /// <summary>Gets the Message-ID of the message sent.</summary>
    public string MessageId { get; }

    /// <summary>Gets whether the message was delivered, deferred (temporary) or failed (permanent).</summary>
    public DaneDeliveryStatus Status { get; }

    /// <summary>Gets <see cref="Status"/> as a name.</summary>
    public string StatusText => Status.ToString();

    /// <summary>Gets whether an MX host accepted the message.</summary>
    public bool Delivered => Status == DaneDeliveryStatus.Delivered;

    /// <summary>Gets whether the failure is permanent (5xx, null MX, no such domain); false when delivered or deferred.</summary>
    public bool IsPermanent => Status == DaneDeliveryStatus.Failed;

    /// <summary>Gets the DANE mode applied.</summary>
    public DaneMailMode Mode { get; }

    /// <summary>Gets <see cref="Mode"/> as a name.</summary>
    public string ModeText => Mode.ToString();

    /// <summary>Gets whether the MTA-STS policy was applied (Opportunistic) or ignored (None).</summary>
    public MtaStsMailMode MtaStsMode { get; }

    /// <summary>Gets the MTA-STS policy mode applied: Enforce, Testing, None, or NoPolicy (none published, not usable, or ignored).</summary>
    public MtaStsMode MtaStsPolicyMode { get; }

    /// <summary>Gets <see cref="MtaStsPolicyMode"/> as a name.</summary>
    public string MtaStsPolicyModeText => MtaStsPolicyMode.ToString();

    /// <summary>Gets the MTA-STS verdict on the session used (or the last one tried) where an enforce or testing policy judged it
    /// (no DANE), else null.</summary>
    public MtaStsHostOutcome? MtaStsOutcome { get; }

    /// <summary>Gets <see cref="MtaStsOutcome"/> as a name, or an empty string.</summary>
    public string MtaStsOutcomeText => MtaStsOutcome?.ToString() ?? string.Empty;

    /// <summary>Gets the recipient domain's MTA-STS discovery and policy (RFC 8461 section 3), or null under -MtaStsMode None.</summary>
    public MtaStsPolicyResult? MtaSts { get; }

    /// <summary>Gets the MX host that took the message (or the last one tried), or an empty string when none was tried.</summary>
    public string HostName { get; }

    /// <summary>Gets the address that took the message (or the last one tried), or an empty string.</summary>
    public string Address { get; }

    /// <summary>Gets the TCP port, or 0 when no host was tried.</summary>
    public int Port { get; }

    /// <summary>Gets the DANE outcome of the session used: Authenticated, TlsOnly or NoDane; a failure when not delivered; null when no host was tried.</summary>
    public DaneHostOutcome? DaneOutcome { get; }

    /// <summary>Gets <see cref="DaneOutcome"/> as a name, or an empty string.</summary>
    public string DaneOutcomeText => DaneOutcome?.ToString() ?? string.Empty;

    /// <summary>Gets what the host's TLSA lookup required of the session used, or null.</summary>
    public DaneRequirement? Requirement { get; }

    /// <summary>Gets <see cref="Requirement"/> as a name, or an empty string.</summary>
    public string RequirementText => Requirement?.ToString() ?? string.Empty;

    /// <summary>Gets the negotiated TLS version (e.g. Tls13), or null for plaintext.</summary>
    public string? TlsVersion { get; }

    /// <summary>Gets the negotiated cipher suite (e.g. TLS_AES_256_GCM_SHA384; the bulk cipher on .NET before 8), or null.</summary>
    public string? CipherAlgorithm { get; }

    /// <summary>Gets the TLSA record that authenticated the server, in presentation form, or an empty string.</summary>
    public string MatchedTlsaRecord { get; }

    /// <summary>Gets the server's final reply (e.g. <c>250 2.0.0 Ok: queued as 4Q...</c>), or an empty string when no server replied to the message.</summary>
    public string ServerReply { get; }

    /// <summary>Gets the recipients the server refused while others were accepted, each as <c>address: reply</c>.</summary>
    public IReadOnlyList<string> RejectedRecipients { get; }

    /// <summary>Gets a stable code for what decided the outcome: <c>Delivered</c>, <c>PartiallyDelivered</c>, <c>Rejected</c>,
    /// <c>MxBogus</c>, <c>MxLookupFailed</c>, <c>DomainDoesNotExist</c>, <c>NullMx</c>, <c>DaneRequired</c>, <c>NoHostTookMail</c>,
    /// <c>MtaStsRefused</c>.</summary>
    public string ReasonCode { get; }

    /// <summary>Gets what decided the outcome, typed (<see cref="ReasonCode"/> is its text, or the policy's code).</summary>
    public DaneDeliveryReason DeliveryReason { get; }

    /// <summary>Gets the failure class (that of the most preferred host's failure, as for the NDR), or None.</summary>
    public DaneFailureKind FailureKind { get; }

    /// <summary>Gets <see cref="FailureKind"/> as a name.</summary>
    public string FailureKindText => FailureKind.ToString();

    /// <summary>Gets the final NDR code Exchange Online would give (e.g. <c>5.7.323 tlsa-invalid</c>, <c>5.4.8 MX hosts of
    /// contoso.com failed MTA-STS validation</c>, <c>5.7.5 Remote certificate failed MTA-STS validation. Reason: ...</c>; the server's enhanced status
    /// code for a rejection); empty when delivered and for <c>dane-required</c> (Exchange Online has no such mode).</summary>
    public string ExchangeOnlineNdr { get; }

    /// <summary>Gets the RFC 8460 result type (e.g. <c>tlsa-invalid</c>, <c>dane-required</c>, <c>validation-failure</c>,
    /// <c>certificate-host-mismatch</c>; also on a delivery where an MTA-STS testing policy reports a failure), or an empty string.</summary>
    public string TlsRptResultType { get; }

    /// <summary>Gets one sentence explaining the outcome.</summary>
    public string Reason { get; }

    /// <summary>Gets the .eml written because the message was not delivered to every recipient here, or an empty string.</summary>
    public string FailedMessagePath { get; }

    /// <summary>Gets every try in order (hosts by preference, every address of a host).</summary>
    public IReadOnlyList<DaneDeliveryAttempt> Attempts { get; }

    /// <summary>Gets the SMTP dialogue of the session used (or the last try), without the message content and without secrets.</summary>
    public IReadOnlyList<string> Transcript { get; }

    /// <summary>Gets the pre-flight policy result (DNS only) the delivery followed.</summary>
    public DaneDomainResult Policy { get; }

    /// <summary>Gets when delivery finished, UTC.</summary>
    public DateTime TimeUtc { get; }

    /// <summary>Gets how long delivery to this domain took, in milliseconds.</summary>
    public double ElapsedMilliseconds { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{DomainName}: {Status}: {Reason}";
}
