using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// Builds RFC 8460 section 4 reports from sessions we observed: one report per policy domain (each goes to that domain's
/// <c>rua</c>), one policy entry per policy type and policy string, success and failure counts, and failure details
/// grouped by result type, receiving MX host, address and reason.
/// </summary>
/// <remarks>The JSON is written with System.Text.Json's <see cref="Utf8JsonWriter"/>, the gzip with GZipStream. The sending
/// MTA's address is not known from our results, so <c>sending-mta-ip</c> is left out (readers, ours included, accept that).</remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-4.4"/>
public static class TlsRptReportWriter
{
    /// <summary>Builds the reports for one period.</summary>
    /// <param name="sessions">The sessions.</param>
    /// <param name="organization">Our organisation's name (<c>organization-name</c>).</param>
    /// <param name="contactInfo">Our contact address (<c>contact-info</c>).</param>
    /// <param name="senderDomain">Our domain, the file name's first field (RFC 8460 section 5.3.1).</param>
    /// <param name="startUtc">Start of the period (UTC).</param>
    /// <param name="endUtc">End of the period (UTC), inclusive, e.g. 23:59:59.</param>
    /// <param name="compressed">Whether the file name ends in <c>.json.gz</c> (else <c>.json</c>).</param>
    /// <returns>One draft per policy domain, in policy-domain order.</returns>
    /// <exception cref="ArgumentException">An empty organisation, contact or sender domain, or an end before the start.</exception>
    public static IReadOnlyList<TlsRptReportDraft> Build(IEnumerable<TlsRptSession> sessions, string organization, string contactInfo,
        string senderDomain, DateTime startUtc, DateTime endUtc, bool compressed)
    {
        if (string.IsNullOrWhiteSpace(organization)) throw new ArgumentException("An organization name is required.", nameof(organization));
        if (string.IsNullOrWhiteSpace(contactInfo)) throw new ArgumentException("Contact information is required.", nameof(contactInfo));
        if (string.IsNullOrWhiteSpace(senderDomain) || senderDomain.Contains('!')) throw new ArgumentException("A sender domain is required.", nameof(senderDomain));
        startUtc = DateTime.SpecifyKind(startUtc, DateTimeKind.Utc);
        endUtc = DateTime.SpecifyKind(endUtc, DateTimeKind.Utc);
        if (endUtc < startUtc) throw new ArgumentException("The period ends before it starts.", nameof(endUtc));
        var drafts = new List<TlsRptReportDraft>();
        foreach (var domain in sessions.GroupBy(s => s.PolicyDomain, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var reportId = Guid.NewGuid().ToString("N");
            var policies = domain
                .GroupBy(s => s.PolicyType + "\n" + string.Join("\n", s.PolicyString), StringComparer.Ordinal)
                .Select(g => g.ToList())
                .ToList();
            var json = Json(policies, organization, contactInfo, reportId, startUtc, endUtc);
            var fileName = string.Join("!", senderDomain.Trim().TrimEnd('.').ToLowerInvariant(), domain.Key,
                Seconds(startUtc), Seconds(endUtc), reportId) + (compressed ? ".json.gz" : ".json");
            drafts.Add(new TlsRptReportDraft(domain.Key, reportId, organization, startUtc, endUtc, fileName, json,
                domain.LongCount(s => s.Succeeded), domain.LongCount(s => !s.Succeeded),
                policies.Select(p => p[0].PolicyType).Distinct(StringComparer.Ordinal).ToList()));
        }
        return drafts;
    }

    /// <summary>Writes a draft into a folder under its RFC file name (gzip-compressed when the name ends in <c>.gz</c>).</summary>
    /// <param name="draft">The report.</param>
    /// <param name="folder">An existing folder.</param>
    /// <returns>The file's full path (also set on <see cref="TlsRptReportDraft.Path"/>).</returns>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static string Write(TlsRptReportDraft draft, string folder)
    {
        var path = System.IO.Path.Combine(folder, draft.FileName);
        var bytes = Encoding.UTF8.GetBytes(draft.Json);
        using (var file = File.Create(path))
        {
            if (draft.FileName.EndsWith(".gz", StringComparison.Ordinal))
            {
                using var gzip = new GZipStream(file, CompressionLevel.Optimal);
                gzip.Write(bytes, 0, bytes.Length);
            }
            else
            {
                file.Write(bytes, 0, bytes.Length);
            }
        }
        draft.Path = path;
        return path;
    }

    private static string Seconds(DateTime utc) => new DateTimeOffset(utc).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Json(List<List<TlsRptSession>> policies, string organization, string contactInfo, string reportId,
        DateTime startUtc, DateTime endUtc)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("organization-name", organization);
            w.WriteStartObject("date-range");
            w.WriteString("start-datetime", Time(startUtc));
            w.WriteString("end-datetime", Time(endUtc));
            w.WriteEndObject();
            w.WriteString("contact-info", contactInfo);
            w.WriteString("report-id", reportId);
            w.WriteStartArray("policies");
            foreach (var sessions in policies) WritePolicy(w, sessions);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WritePolicy(Utf8JsonWriter w, List<TlsRptSession> sessions)
    {
        var first = sessions[0];
        w.WriteStartObject();
        w.WriteStartObject("policy");
        w.WriteString("policy-type", first.PolicyType);
        if (first.PolicyString.Count > 0) WriteStrings(w, "policy-string", first.PolicyString);
        w.WriteString("policy-domain", first.PolicyDomain);
        var mx = sessions.SelectMany(s => s.MxHost).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (mx.Count > 0) WriteStrings(w, "mx-host", mx);
        w.WriteEndObject();
        w.WriteStartObject("summary");
        w.WriteNumber("total-successful-session-count", sessions.LongCount(s => s.Succeeded));
        w.WriteNumber("total-failure-session-count", sessions.LongCount(s => !s.Succeeded));
        w.WriteEndObject();
        var failures = sessions.Where(s => !s.Succeeded)
            .GroupBy(s => (s.ResultType, s.ReceivingMxHostname, s.ReceivingIp, s.FailureReasonCode))
            .ToList();
        if (failures.Count > 0)
        {
            w.WriteStartArray("failure-details");
            foreach (var failure in failures)
            {
                w.WriteStartObject();
                w.WriteString("result-type", failure.Key.ResultType);
                if (failure.Key.ReceivingMxHostname.Length > 0) w.WriteString("receiving-mx-hostname", failure.Key.ReceivingMxHostname);
                if (failure.Key.ReceivingIp.Length > 0) w.WriteString("receiving-ip", failure.Key.ReceivingIp);
                w.WriteNumber("failed-session-count", failure.LongCount());
                if (failure.Key.FailureReasonCode.Length > 0) w.WriteString("failure-reason-code", failure.Key.FailureReasonCode);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
