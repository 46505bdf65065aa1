using System;
using System.Collections.Generic;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// A TLS-RPT report built from our own results for one policy domain and one period (RFC 8460 section 4): its JSON, the
/// RFC file name (section 5.3.1) and, once written, the file's path.
/// </summary>
public sealed class TlsRptReportDraft
{
    internal TlsRptReportDraft(string policyDomain, string reportId, string organization, DateTime startUtc, DateTime endUtc,
        string fileName, string json, long successfulSessions, long failedSessions, IReadOnlyList<string> policyTypes)
    {
        PolicyDomain = policyDomain;
        ReportId = reportId;
        Organization = organization;
        StartUtc = startUtc;
        EndUtc = endUtc;
        FileName = fileName;
        Json = json;
        SuccessfulSessions = successfulSessions;
        FailedSessions = failedSessions;
        PolicyTypes = new TextList<string>(policyTypes);
    }

    /// <summary>Gets the policy domain the report is for (send it to the <c>rua</c> of <c>_smtp._tls.</c> this domain).</summary>
    public string PolicyDomain { get; }

    /// <summary>Gets the report id.</summary>
    public string ReportId { get; }

    /// <summary>Gets the reporting organisation's name.</summary>
    public string Organization { get; }

    /// <summary>Gets the start of the period (UTC).</summary>
    public DateTime StartUtc { get; }

    /// <summary>Gets the end of the period (UTC).</summary>
    public DateTime EndUtc { get; }

    /// <summary>Gets the RFC 8460 section 5.3.1 file name, e.g. <c>contoso.com!mail.fabrikam.com!1795996800!1796083199!id.json.gz</c>.</summary>
    public string FileName { get; }

    /// <summary>Gets the report's JSON (RFC 8460 section 4.4).</summary>
    public string Json { get; }

    /// <summary>Gets the successful sessions over all policies.</summary>
    public long SuccessfulSessions { get; }

    /// <summary>Gets the failed sessions over all policies.</summary>
    public long FailedSessions { get; }

    /// <summary>Gets the policy types of the report's policies.</summary>
    public IReadOnlyList<string> PolicyTypes { get; }

    /// <summary>Gets the file written, or empty when not written.</summary>
    public string Path { get; internal set; } = string.Empty;

    /// <inheritdoc/>
    public override string ToString() => FileName;
}
