using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DaneTools.Core.TlsRpt;
using Xunit;

namespace DaneTools.Core.Tests.TlsRpt;

public sealed class TlsRptReportWriterTests
{
    private const string Tlsa = "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6";
    private static readonly DateTime s_start = new(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_end = new(2026, 11, 30, 23, 59, 59, DateTimeKind.Utc);

    private static TlsRptSession Dane(string host, string resultType = "", string ip = "192.0.2.25", string reason = "") =>
        new("tlsa", host, new[] { Tlsa }, new[] { host }, resultType, host, ip, reason);

    private static TlsRptSession[] Sessions() => new[]
    {
        Dane("mx1.contoso.com"),
        Dane("mx1.contoso.com"),
        Dane("mx1.contoso.com", "tlsa-invalid", reason: "TlsaInvalid"),
        Dane("mx1.contoso.com", "tlsa-invalid", reason: "TlsaInvalid"),
        Dane("mx2.contoso.com", "starttls-not-supported", "192.0.2.26", "StartTlsNotSupported"),
        new TlsRptSession("no-policy-found", "fabrikam.com", null, null, "", "mail.fabrikam.com", "198.51.100.1", null),
    };

    [Fact]
    public void Build_OneReportPerPolicyDomain_WithCountsAndGroupedFailures()
    {
        var drafts = TlsRptReportWriter.Build(Sessions(), "Contoso Ltd", "mailto:tlsrpt@contoso.com", "contoso.com", s_start, s_end, compressed: true);
        Assert.Equal(new[] { "fabrikam.com", "mx1.contoso.com", "mx2.contoso.com" }, drafts.Select(d => d.PolicyDomain));
        var mx1 = drafts[1];
        Assert.Equal(2, mx1.SuccessfulSessions);
        Assert.Equal(2, mx1.FailedSessions);
        Assert.Equal($"contoso.com!mx1.contoso.com!1795996800!1796083199!{mx1.ReportId}.json.gz", mx1.FileName);
        Assert.Matches("^[0-9a-f]{32}$", mx1.ReportId);
    }

    [Fact]
    public void Build_ThenRead_GivesBackCountsAndResultTypesPerPolicyDomain()
    {
        var drafts = TlsRptReportWriter.Build(Sessions(), "Contoso Ltd", "mailto:tlsrpt@contoso.com", "contoso.com", s_start, s_end, compressed: false);
        var read = drafts.SelectMany(d => TlsRptReportReader.ReadText(d.Json)).ToList();
        var mx1 = read.Single(r => r.PolicyDomain == "mx1.contoso.com");
        Assert.Equal("tlsa", mx1.PolicyType);
        Assert.Equal(new[] { Tlsa }, mx1.PolicyString);
        Assert.Equal(2, mx1.SuccessfulSessions);
        Assert.Equal(2, mx1.FailedSessions);
        var detail = Assert.Single(mx1.FailureDetails);
        Assert.Equal("tlsa-invalid", detail.ResultType);
        Assert.Equal(2, detail.FailedSessionCount);
        Assert.Equal("TlsaInvalid", detail.FailureReasonCode);
        Assert.Equal("192.0.2.25", detail.ReceivingIp);
        Assert.Equal("5.7.323 tlsa-invalid", detail.ExchangeOnlineNdr);
        Assert.Equal(s_start, mx1.StartUtc);
        Assert.Equal(s_end, mx1.EndUtc);
        Assert.False(mx1.TimeZoneAssumed);
        var fabrikam = read.Single(r => r.PolicyDomain == "fabrikam.com");
        Assert.Equal("no-policy-found", fabrikam.PolicyType);
        Assert.Empty(fabrikam.PolicyString);
        Assert.Empty(fabrikam.Warnings);
        Assert.Equal(1, fabrikam.SuccessfulSessions);
    }

    [Fact]
    public void Build_Json_HasExactlyTheRfc8460Keys()
    {
        // RFC 8460 section 4.4: the report's, policy's, summary's and failure details' field names.
        var draft = TlsRptReportWriter.Build(Sessions(), "Contoso Ltd", "mailto:tlsrpt@contoso.com", "contoso.com", s_start, s_end, false)
            .Single(d => d.PolicyDomain == "mx1.contoso.com");
        using var doc = JsonDocument.Parse(draft.Json);
        var root = doc.RootElement;
        Assert.Equal(new[] { "organization-name", "date-range", "contact-info", "report-id", "policies" }, Keys(root));
        Assert.Equal(new[] { "start-datetime", "end-datetime" }, Keys(root.GetProperty("date-range")));
        Assert.Equal("2026-11-30T00:00:00Z", root.GetProperty("date-range").GetProperty("start-datetime").GetString());
        var policy = root.GetProperty("policies")[0];
        Assert.Equal(new[] { "policy", "summary", "failure-details" }, Keys(policy));
        Assert.Equal(new[] { "policy-type", "policy-string", "policy-domain", "mx-host" }, Keys(policy.GetProperty("policy")));
        Assert.Equal(new[] { "total-successful-session-count", "total-failure-session-count" }, Keys(policy.GetProperty("summary")));
        Assert.Equal(new[] { "result-type", "receiving-mx-hostname", "receiving-ip", "failed-session-count", "failure-reason-code" },
            Keys(policy.GetProperty("failure-details")[0]));
    }

    [Fact]
    public void Write_Compressed_IsReadBackWithTheFileNameFields()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tlsrpt-writer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var draft = TlsRptReportWriter.Build(Sessions(), "Contoso Ltd", "mailto:tlsrpt@contoso.com", "contoso.com", s_start, s_end, true)[1];
            var path = TlsRptReportWriter.Write(draft, folder);
            Assert.Equal(path, draft.Path);
            var read = Assert.Single(TlsRptReportReader.ReadFile(path));
            Assert.Equal("gzip", read.Source.Kind);
            Assert.Equal("contoso.com", read.Source.FileName!.Sender);
            Assert.Equal(draft.ReportId, read.ReportId);
            Assert.Empty(read.Warnings);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static string[] Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
