using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// Reads the JSON of one TLS-RPT report (RFC 8460 section 4.4) with System.Text.Json into one
/// <see cref="TlsRptPolicyReport"/> per policy.
/// </summary>
/// <remarks>
/// Tolerant where real senders deviate: a missing <c>policy-string</c>, <c>mx-host</c> or <c>sending-mta-ip</c>;
/// <c>mx-host</c> or <c>policy-string</c> as a string instead of an array; <c>additional-info-uri</c> (the RFC's prose) for
/// <c>additional-information</c> (its schema); date-times without an offset (taken as UTC and flagged); unknown result
/// types (kept as text). Strict where meaning would be lost: the date range, the policies, each policy's type and domain,
/// the summary counts and each failure's result type and count must be there with the right JSON type.
/// </remarks>
internal static class TlsRptJsonParser
{
    private static readonly Regex s_offset = new(@"(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})$", RegexOptions.CultureInvariant);

    internal static List<TlsRptPolicyReport> Parse(ReadOnlyMemory<byte> json, TlsRptSource source, TlsRptReadOptions options)
    {
        var name = TlsRptSource.Display(source.Path);
        var bytes = json;
        if (bytes.Length >= 3 && bytes.Span[0] == 0xEF && bytes.Span[1] == 0xBB && bytes.Span[2] == 0xBF) bytes = bytes.Slice(3);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = options.MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new TlsRptFormatException(TlsRptErrorKind.InvalidJson, source.Path,
                $"{name} is not a TLS-RPT report: its JSON is not valid ({ex.Message}).", ex);
        }
        using (document)
        {
            return Read(document.RootElement, source, name);
        }
    }

    private static List<TlsRptPolicyReport> Read(JsonElement root, TlsRptSource source, string name)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Schema(source, name, "the top level", "a JSON object");
        var warnings = new List<string>();
        string organization = OptionalString(root, "organization-name", source, name, "organization-name", warnings, required: true);
        string contact = OptionalString(root, "contact-info", source, name, "contact-info", warnings, required: true);
        string reportId = OptionalString(root, "report-id", source, name, "report-id", warnings, required: true);
        if (!root.TryGetProperty("date-range", out var range) || range.ValueKind != JsonValueKind.Object)
        {
            throw Schema(source, name, "date-range", "an object with start-datetime and end-datetime");
        }
        bool assumed = false;
        var start = DateTimeField(range, "start-datetime", source, name, ref assumed);
        var end = DateTimeField(range, "end-datetime", source, name, ref assumed);
        if (assumed) warnings.Add("A date-time in date-range has no time zone offset; it was taken as UTC.");
        if (!root.TryGetProperty("policies", out var policies) || policies.ValueKind != JsonValueKind.Array)
        {
            throw Schema(source, name, "policies", "an array");
        }

        var results = new List<TlsRptPolicyReport>();
        int index = 0;
        foreach (var entry in policies.EnumerateArray())
        {
            string at = $"policies[{index}]";
            if (entry.ValueKind != JsonValueKind.Object) throw Schema(source, name, at, "an object");
            if (!entry.TryGetProperty("policy", out var policy) || policy.ValueKind != JsonValueKind.Object)
            {
                throw Schema(source, name, at + ".policy", "an object");
            }
            var policyWarnings = new List<string>(warnings);
            string policyType = RequiredString(policy, "policy-type", source, name, at + ".policy.policy-type");
            string policyDomain = RequiredString(policy, "policy-domain", source, name, at + ".policy.policy-domain");
            var policyString = StringOrArray(policy, "policy-string", source, name, at + ".policy.policy-string");
            if (policyString is null)
            {
                policyString = Array.Empty<string>();
                if (!string.Equals(policyType, "no-policy-found", StringComparison.OrdinalIgnoreCase))
                {
                    policyWarnings.Add($"{at}.policy ({policyType} {policyDomain}) has no policy-string (RFC 8460 section 4.4 asks for one; Exchange Online leaves it out for sts).");
                }
            }
            var mxHost = StringOrArray(policy, "mx-host", source, name, at + ".policy.mx-host") ?? Array.Empty<string>();
            if (!entry.TryGetProperty("summary", out var summary) || summary.ValueKind != JsonValueKind.Object)
            {
                throw Schema(source, name, at + ".summary", "an object");
            }
            long ok = Count(summary, "total-successful-session-count", source, name, at + ".summary");
            long failed = Count(summary, "total-failure-session-count", source, name, at + ".summary");
            var details = FailureDetails(entry, policyType, source, name, at);
            long detailed = details.Sum(d => d.FailedSessionCount);
            if (detailed > failed)
            {
                policyWarnings.Add($"{at}: failure-details count {detailed} sessions, more than total-failure-session-count {failed}.");
            }
            results.Add(new TlsRptPolicyReport(reportId, organization, contact, start, end, assumed, policyType, policyDomain,
                policyString, mxHost, ok, failed, details, source, policyWarnings));
            index++;
        }
        if (results.Count == 0) throw Schema(source, name, "policies", "at least one policy");
        return results;
    }

    private static List<TlsRptFailureDetail> FailureDetails(JsonElement entry, string policyType, TlsRptSource source, string name, string at)
    {
        var list = new List<TlsRptFailureDetail>();
        if (!entry.TryGetProperty("failure-details", out var details) || details.ValueKind == JsonValueKind.Null) return list;
        if (details.ValueKind != JsonValueKind.Array) throw Schema(source, name, at + ".failure-details", "an array");
        int i = 0;
        foreach (var d in details.EnumerateArray())
        {
            string here = $"{at}.failure-details[{i++}]";
            if (d.ValueKind != JsonValueKind.Object) throw Schema(source, name, here, "an object");
            string info = OptionalText(d, "additional-information", source, name, here);
            if (info.Length == 0) info = OptionalText(d, "additional-info-uri", source, name, here);
            list.Add(new TlsRptFailureDetail(
                RequiredString(d, "result-type", source, name, here + ".result-type"),
                OptionalText(d, "sending-mta-ip", source, name, here),
                OptionalText(d, "receiving-mx-hostname", source, name, here),
                OptionalText(d, "receiving-mx-helo", source, name, here),
                OptionalText(d, "receiving-ip", source, name, here),
                Count(d, "failed-session-count", source, name, here),
                info,
                OptionalText(d, "failure-reason-code", source, name, here),
                policyType));
        }
        return list;
    }

    private static DateTime DateTimeField(JsonElement range, string field, TlsRptSource source, string name, ref bool assumed)
    {
        string text = RequiredString(range, field, source, name, "date-range." + field);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            throw Schema(source, name, "date-range." + field, $"an RFC 3339 date-time (found '{text}')");
        }
        if (!s_offset.IsMatch(text.Trim())) assumed = true;
        return value.UtcDateTime;
    }

    private static long Count(JsonElement obj, string field, TlsRptSource source, string name, string at)
    {
        if (!obj.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt64(out long count) || count < 0)
        {
            throw Schema(source, name, $"{at}.{field}", "a non-negative whole number");
        }
        return count;
    }

    private static string RequiredString(JsonElement obj, string field, TlsRptSource source, string name, string at)
    {
        if (!obj.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0)
        {
            throw Schema(source, name, at, "a non-empty string");
        }
        return value.GetString()!.Trim();
    }

    private static string OptionalText(JsonElement obj, string field, TlsRptSource source, string name, string at)
    {
        if (!obj.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return string.Empty;
        if (value.ValueKind != JsonValueKind.String) throw Schema(source, name, $"{at}.{field}", "a string");
        return value.GetString()!.Trim();
    }

    private static string OptionalString(JsonElement obj, string field, TlsRptSource source, string name, string at,
        List<string> warnings, bool required)
    {
        var text = OptionalText(obj, field, source, name, "report");
        if (text.Length == 0 && required) warnings.Add($"The report has no {at} (RFC 8460 section 4.4 requires it).");
        return text;
    }

    // policy-string and mx-host: the schema says array of strings; senders also write one string.
    private static IReadOnlyList<string>? StringOrArray(JsonElement obj, string field, TlsRptSource source, string name, string at)
    {
        if (!obj.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return new[] { value.GetString()!.Trim() };
        if (value.ValueKind != JsonValueKind.Array) throw Schema(source, name, at, "a string or an array of strings");
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw Schema(source, name, at, "an array of strings");
            list.Add(item.GetString()!.Trim());
        }
        return list;
    }

    private static TlsRptFormatException Schema(TlsRptSource source, string name, string field, string expected) =>
        new(TlsRptErrorKind.SchemaViolation, source.Path, $"{name} is not a valid TLS-RPT report: {field} must be {expected} (RFC 8460 section 4.4).");
}
