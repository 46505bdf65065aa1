using System;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// One <c>failure-details</c> entry of a TLS-RPT report (RFC 8460 section 4.4), with the report and policy it belongs to
/// so that <c>Group-Object ReceivingMxHostname</c> or <c>ResultType</c> keeps its context.
/// </summary>
/// <remarks>Fields the sender left out are empty strings (Exchange Online sends only the result type and the count).</remarks>
public sealed class TlsRptFailureDetail
{
    internal TlsRptFailureDetail(string resultType, string sendingMtaIp, string receivingMxHostname, string receivingMxHelo,
        string receivingIp, long failedSessionCount, string additionalInformation, string failureReasonCode, string policyType)
    {
        ResultType = resultType;
        IsKnownResultType = TlsRptResultTypes.IsKnown(resultType);
        SendingMtaIp = sendingMtaIp;
        ReceivingMxHostname = receivingMxHostname;
        ReceivingMxHelo = receivingMxHelo;
        ReceivingIp = receivingIp;
        FailedSessionCount = failedSessionCount;
        AdditionalInformation = additionalInformation;
        FailureReasonCode = failureReasonCode;
        ExchangeOnlineNdr = TlsRptResultTypes.ExchangeOnlineNdr(policyType, resultType);
    }

    /// <summary>Gets the result type (RFC 8460 section 4.3), kept as the sender wrote it when it is not one of the RFC's.</summary>
    public string ResultType { get; }

    /// <summary>Gets whether <see cref="ResultType"/> is one RFC 8460 section 4.3 defines.</summary>
    public bool IsKnownResultType { get; }

    /// <summary>Gets the sending MTA's IP address (<c>sending-mta-ip</c>), or empty.</summary>
    public string SendingMtaIp { get; }

    /// <summary>Gets the receiving MX host name (<c>receiving-mx-hostname</c>), or empty.</summary>
    public string ReceivingMxHostname { get; }

    /// <summary>Gets the receiving MX's HELO/EHLO name (<c>receiving-mx-helo</c>), or empty.</summary>
    public string ReceivingMxHelo { get; }

    /// <summary>Gets the receiving MX's IP address (<c>receiving-ip</c>), or empty.</summary>
    public string ReceivingIp { get; }

    /// <summary>Gets the number of sessions that failed this way (<c>failed-session-count</c>).</summary>
    public long FailedSessionCount { get; }

    /// <summary>Gets <c>additional-information</c> (or <c>additional-info-uri</c>, the name RFC 8460's prose uses) as text.
    /// A URI here is never dereferenced.</summary>
    public string AdditionalInformation { get; }

    /// <summary>Gets the sender's own reason code (<c>failure-reason-code</c>), or empty.</summary>
    public string FailureReasonCode { get; }

    /// <summary>Gets the final Exchange Online NDR this result type corresponds to (e.g. <c>5.7.323 tlsa-invalid</c>), or empty
    /// (<see cref="TlsRptResultTypes.ExchangeOnlineNdr"/>).</summary>
    public string ExchangeOnlineNdr { get; }

    /// <summary>Gets the report's id.</summary>
    public string ReportId { get; internal set; } = string.Empty;

    /// <summary>Gets the sending organisation's name.</summary>
    public string Organization { get; internal set; } = string.Empty;

    /// <summary>Gets the policy domain.</summary>
    public string PolicyDomain { get; internal set; } = string.Empty;

    /// <summary>Gets the policy type.</summary>
    public string PolicyType { get; internal set; } = string.Empty;

    /// <summary>Gets the UTC day the reporting period starts on (for grouping by day).</summary>
    public DateTime Day { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{ResultType} x{FailedSessionCount}" + (ReceivingMxHostname.Length > 0 ? $" {ReceivingMxHostname}" : string.Empty) +
        (SendingMtaIp.Length > 0 ? $" from {SendingMtaIp}" : string.Empty);
}
