using System;
using System.Collections.Generic;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// One SMTP session a sender would count in a TLS-RPT report (RFC 8460 section 4.4): the policy it ran under, the MX host
/// and address, and its result type (empty when TLS was negotiated and the policy satisfied).
/// </summary>
/// <remarks>Built by the cmdlets from Test-DaneDomain and Send-DaneMail results (live or from Clixml), one per final
/// attempt: a recoverable step that was retried is not a session of its own.</remarks>
public sealed class TlsRptSession
{
    /// <summary>Creates a session.</summary>
    /// <param name="policyType"><c>tlsa</c>, <c>sts</c> or <c>no-policy-found</c>.</param>
    /// <param name="policyDomain">For DANE the TLSA base domain of the MX host (RFC 8460 section 1.1); else the recipient domain.</param>
    /// <param name="policyString">The TLSA RRset as <c>u s m HEX</c> lines, or the MTA-STS policy lines; empty for no policy.</param>
    /// <param name="mxHost">The MX host names the policy covers.</param>
    /// <param name="resultType">The RFC 8460 section 4.3 result type; empty for a successful session.</param>
    /// <param name="receivingMxHostname">The MX host the session went to.</param>
    /// <param name="receivingIp">The MX address the session went to, or empty.</param>
    /// <param name="failureReasonCode">Our stable reason (a DaneFailureKind name), or empty.</param>
    /// <exception cref="ArgumentException"><paramref name="policyType"/> or <paramref name="policyDomain"/> is empty.</exception>
    public TlsRptSession(string policyType, string policyDomain, IEnumerable<string>? policyString, IEnumerable<string>? mxHost,
        string? resultType, string? receivingMxHostname, string? receivingIp, string? failureReasonCode)
    {
        if (string.IsNullOrWhiteSpace(policyType)) throw new ArgumentException("A policy type is required.", nameof(policyType));
        if (string.IsNullOrWhiteSpace(policyDomain)) throw new ArgumentException("A policy domain is required.", nameof(policyDomain));
        PolicyType = policyType;
        PolicyDomain = policyDomain.Trim().TrimEnd('.').ToLowerInvariant();
        PolicyString = new TextList<string>(new List<string>(policyString ?? Array.Empty<string>()));
        MxHost = new TextList<string>(new List<string>(mxHost ?? Array.Empty<string>()));
        ResultType = resultType ?? string.Empty;
        ReceivingMxHostname = (receivingMxHostname ?? string.Empty).TrimEnd('.');
        ReceivingIp = receivingIp ?? string.Empty;
        FailureReasonCode = failureReasonCode ?? string.Empty;
    }

    /// <summary>Gets the policy type.</summary>
    public string PolicyType { get; }

    /// <summary>Gets the policy domain (lower case, no trailing dot).</summary>
    public string PolicyDomain { get; }

    /// <summary>Gets the policy string lines.</summary>
    public IReadOnlyList<string> PolicyString { get; }

    /// <summary>Gets the MX host names the policy covers.</summary>
    public IReadOnlyList<string> MxHost { get; }

    /// <summary>Gets the result type; empty for a successful session.</summary>
    public string ResultType { get; }

    /// <summary>Gets whether TLS was negotiated and the policy satisfied.</summary>
    public bool Succeeded => ResultType.Length == 0;

    /// <summary>Gets the receiving MX host name.</summary>
    public string ReceivingMxHostname { get; }

    /// <summary>Gets the receiving MX address, or empty.</summary>
    public string ReceivingIp { get; }

    /// <summary>Gets our stable reason for a failure, or empty.</summary>
    public string FailureReasonCode { get; }
}
