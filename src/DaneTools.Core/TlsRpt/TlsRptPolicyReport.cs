using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// One policy of one TLS-RPT report (RFC 8460 section 4.4): who reported, the period (UTC), the policy (type, domain,
/// policy string, MX hosts), the success and failure counts, the failure details, and where the report came from.
/// Immutable.
/// </summary>
/// <remarks>
/// A report with three policies gives three objects with the same <see cref="ReportId"/>. Where the file name or the mail's
/// headers disagree with the JSON, the JSON's values are used and <see cref="Warnings"/> says so (RFC 8460 section 5.6).
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-4.4"/>
public sealed class TlsRptPolicyReport
{
    private readonly List<string> _warnings;

    internal TlsRptPolicyReport(string reportId, string organization, string contactInfo, DateTime startUtc, DateTime endUtc,
        bool timeZoneAssumed, string policyType, string policyDomain, IReadOnlyList<string> policyString, IReadOnlyList<string> mxHost,
        long successfulSessions, long failedSessions, IReadOnlyList<TlsRptFailureDetail> failureDetails, TlsRptSource source,
        IReadOnlyList<string> warnings)
    {
        ReportId = reportId;
        Organization = organization;
        ContactInfo = contactInfo;
        StartUtc = startUtc;
        EndUtc = endUtc;
        TimeZoneAssumed = timeZoneAssumed;
        PolicyType = policyType;
        PolicyDomain = policyDomain;
        PolicyString = new TextList<string>(policyString);
        MxHost = new TextList<string>(mxHost);
        SuccessfulSessions = successfulSessions;
        FailedSessions = failedSessions;
        FailureDetails = new TextList<TlsRptFailureDetail>(failureDetails);
        Source = source;
        _warnings = new List<string>(warnings);
        Warnings = new TextList<string>(_warnings);
        foreach (var detail in failureDetails)
        {
            detail.ReportId = reportId;
            detail.Organization = organization;
            detail.PolicyDomain = policyDomain;
            detail.PolicyType = policyType;
            detail.Day = Day;
        }
        ResultTypes = new TextList<string>(failureDetails
            .GroupBy(d => d.ResultType, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Sum(d => d.FailedSessionCount)}")
            .ToList());
    }

    /// <summary>Gets the report's id (<c>report-id</c>).</summary>
    public string ReportId { get; }

    /// <summary>Gets the sending organisation (<c>organization-name</c>).</summary>
    public string Organization { get; }

    /// <summary>Gets the sender's contact (<c>contact-info</c>), or empty.</summary>
    public string ContactInfo { get; }

    /// <summary>Gets the start of the reporting period, UTC (<c>date-range.start-datetime</c>).</summary>
    public DateTime StartUtc { get; }

    /// <summary>Gets the end of the reporting period, UTC (<c>date-range.end-datetime</c>).</summary>
    public DateTime EndUtc { get; }

    /// <summary>Gets the UTC day the period starts on, for grouping by day.</summary>
    public DateTime Day => StartUtc.Date;

    /// <summary>Gets whether a date-time had no offset and was taken as UTC (RFC 8460 asks for RFC 3339 date-times with one).</summary>
    public bool TimeZoneAssumed { get; }

    /// <summary>Gets the policy type (<c>tlsa</c>, <c>sts</c> or <c>no-policy-found</c>; another name is kept as written).</summary>
    public string PolicyType { get; }

    /// <summary>Gets the policy domain: for DANE the TLSA base domain of the MX host (RFC 8460 section 1.1), for MTA-STS the
    /// recipient domain.</summary>
    public string PolicyDomain { get; }

    /// <summary>Gets the policy string lines (TLSA records or MTA-STS policy lines); empty when the sender left it out.</summary>
    public IReadOnlyList<string> PolicyString { get; }

    /// <summary>Gets the MX host patterns (<c>mx-host</c>, a string or an array in the JSON); empty when absent.</summary>
    public IReadOnlyList<string> MxHost { get; }

    /// <summary>Gets the number of sessions that negotiated TLS under the policy (<c>total-successful-session-count</c>).</summary>
    public long SuccessfulSessions { get; }

    /// <summary>Gets the number of sessions that failed (<c>total-failure-session-count</c>).</summary>
    public long FailedSessions { get; }

    /// <summary>Gets the failure details (empty when every session succeeded).</summary>
    public IReadOnlyList<TlsRptFailureDetail> FailureDetails { get; }

    /// <summary>Gets the failed sessions per result type, e.g. <c>certificate-expired 100</c>, in report order.</summary>
    public IReadOnlyList<string> ResultTypes { get; }

    /// <summary>Gets where the report came from (file, mail headers, file name fields).</summary>
    public TlsRptSource Source { get; }

    /// <summary>Gets what was tolerated or disagreed (missing fields, assumed time zone, file name or header against the JSON).</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal void AddWarning(string warning)
    {
        if (!_warnings.Contains(warning)) _warnings.Add(warning);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Organization} {Day:yyyy-MM-dd} {PolicyType} {PolicyDomain}: {SuccessfulSessions} ok, {FailedSessions} failed";
}
