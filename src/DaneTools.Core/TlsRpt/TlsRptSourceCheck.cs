using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// Compares what the file name (RFC 8460 section 5.3.1) and the mail's headers and subject (section 5.3) say with the JSON.
/// The JSON wins; each disagreement becomes a warning on every policy of the report (section 5.6).
/// </summary>
internal static class TlsRptSourceCheck
{
    internal static void Compare(IReadOnlyList<TlsRptPolicyReport> reports, TlsRptSource source)
    {
        if (reports.Count == 0) return;
        var first = reports[0];
        var domains = reports.Select(r => Normalize(r.PolicyDomain)).ToList();
        string jsonDomains = string.Join(", ", reports.Select(r => r.PolicyDomain).Distinct(StringComparer.OrdinalIgnoreCase));
        var warnings = new List<string>();
        var file = source.FileName;
        if (file is not null)
        {
            if (!domains.Contains(Normalize(file.PolicyDomain)))
            {
                warnings.Add($"The file name's policy domain '{file.PolicyDomain}' differs from the report's ({jsonDomains}); the report's is used (RFC 8460 section 5.6).");
            }
            if (file.BeginUtc != Truncate(first.StartUtc) || file.EndUtc != Truncate(first.EndUtc))
            {
                warnings.Add($"The file name's period {file.BeginUtc:u} - {file.EndUtc:u} differs from the report's date-range " +
                    $"{first.StartUtc:u} - {first.EndUtc:u}; the report's is used (RFC 8460 section 5.6).");
            }
        }
        if (source.ReportDomain.Length > 0 && !domains.Contains(Normalize(source.ReportDomain)))
        {
            warnings.Add($"The TLS-Report-Domain header '{source.ReportDomain}' differs from the report's policy domain ({jsonDomains}); the report's is used (RFC 8460 section 5.6).");
        }
        if (source.ReportSubmitter.Length > 0 && file is not null && !string.Equals(Normalize(source.ReportSubmitter), Normalize(file.Sender), StringComparison.Ordinal))
        {
            warnings.Add($"The TLS-Report-Submitter header '{source.ReportSubmitter}' differs from the file name's sender '{file.Sender}'.");
        }
        var subjectId = SubjectField(source.Subject, "Report-ID:");
        if (subjectId.Length > 0 && first.ReportId.Length > 0 && !string.Equals(subjectId, first.ReportId, StringComparison.Ordinal))
        {
            warnings.Add($"The subject's Report-ID '{subjectId}' differs from the report's report-id '{first.ReportId}'; the report's is used (RFC 8460 section 5.6).");
        }
        foreach (var report in reports)
        {
            foreach (var warning in warnings) report.AddWarning(warning);
        }
    }

    private static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    private static DateTime Truncate(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    // Subject: "Report Domain: <d> Submitter: <s> Report-ID: <id>" (RFC 8460 section 5.3); the id may sit in angle brackets.
    internal static string SubjectField(string subject, string label)
    {
        int at = subject.IndexOf(label, StringComparison.OrdinalIgnoreCase);
        if (at < 0) return string.Empty;
        var rest = subject.Substring(at + label.Length).Trim();
        int space = rest.IndexOfAny(new[] { ' ', '\t' });
        if (space >= 0) rest = rest.Substring(0, space);
        return rest.Trim('<', '>');
    }
}
