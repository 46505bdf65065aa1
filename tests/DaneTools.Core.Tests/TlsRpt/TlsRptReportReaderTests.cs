using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using DaneTools.Core.TlsRpt;
using DaneTools.Core.Tests.Dns;
using MimeKit;
using Xunit;

namespace DaneTools.Core.Tests.TlsRpt;

public sealed class TlsRptReportReaderTests : IDisposable
{
    private const string MicrosoftName = "microsoft.com!contoso.com!1795996800!1796083199!133775712000000000+contoso.com.json";
    private const string GoogleName = "google.com!contoso.com!1795996800!1796083199!001.json";
    private static readonly string s_data = Path.Combine(AppContext.BaseDirectory, "TestData", "TlsRpt");
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "tlsrpt-tests-" + Guid.NewGuid().ToString("N"));

    public TlsRptReportReaderTests() => Directory.CreateDirectory(_temp);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static string Data(string name) => Path.Combine(s_data, name);

    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    [Fact]
    public void ReadFile_Rfc8460Example_GivesTheRfcValues()
    {
        var path = Path.Combine(ConformanceData.Root, "rfc-vectors", "rfc8460-example-report.json");
        var report = Assert.Single(TlsRptReportReader.ReadFile(path));
        Assert.Equal("Company-X", report.Organization);
        Assert.Equal("sts-reporting@company-x.example", report.ContactInfo);
        Assert.Equal("5065427c-23d3-47ca-b6e0-946ea0e8c4be", report.ReportId);
        Assert.Equal(Utc(2016, 4, 1, 0, 0, 0), report.StartUtc);
        Assert.Equal(Utc(2016, 4, 1, 23, 59, 59), report.EndUtc);
        Assert.Equal(DateTimeKind.Utc, report.StartUtc.Kind);
        Assert.False(report.TimeZoneAssumed);
        Assert.Equal("sts", report.PolicyType);
        Assert.Equal("company-y.example", report.PolicyDomain);
        Assert.Equal(new[] { "version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400" }, report.PolicyString);
        Assert.Equal(new[] { "*.mail.company-y.example" }, report.MxHost);
        Assert.Equal(5326, report.SuccessfulSessions);
        Assert.Equal(303, report.FailedSessions);
        Assert.Equal(new[] { "certificate-expired", "starttls-not-supported", "validation-failure" }, report.FailureDetails.Select(d => d.ResultType));
        var expired = report.FailureDetails[0];
        Assert.Equal("2001:db8:abcd:0012::1", expired.SendingMtaIp);
        Assert.Equal("mx1.mail.company-y.example", expired.ReceivingMxHostname);
        Assert.Equal(100, expired.FailedSessionCount);
        Assert.Equal(TlsRptResultTypes.StsCertificateNdr, expired.ExchangeOnlineNdr);
        var starttls = report.FailureDetails[1];
        Assert.Equal("203.0.113.56", starttls.ReceivingIp);
        Assert.StartsWith("https://reports.company-x.example/report_info", starttls.AdditionalInformation);
        var validation = report.FailureDetails[2];
        Assert.Equal("198.51.100.62", validation.SendingMtaIp);
        Assert.Equal("203.0.113.58", validation.ReceivingIp);
        Assert.Equal("mx-backup.mail.company-y.example", validation.ReceivingMxHostname);
        Assert.Equal(3, validation.FailedSessionCount);
        Assert.Equal("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", validation.FailureReasonCode);
        Assert.All(report.FailureDetails, d => Assert.True(d.IsKnownResultType));
        Assert.All(report.FailureDetails, d => Assert.Equal("company-y.example", d.PolicyDomain));
        Assert.Equal(new[] { "certificate-expired 100", "starttls-not-supported 200", "validation-failure 3" }, report.ResultTypes);
        Assert.Empty(report.Warnings);
        Assert.Null(report.Source.FileName);
    }

    [Fact]
    public void ReadFile_ExchangeOnlineShape_ToleratesItsQuirks()
    {
        var reports = TlsRptReportReader.ReadFile(Data(MicrosoftName));
        Assert.Equal(2, reports.Count);
        var sts = reports[0];
        Assert.True(sts.TimeZoneAssumed);
        Assert.Equal(Utc(2026, 11, 30, 0, 0, 0), sts.StartUtc);
        Assert.Equal(Utc(2026, 11, 30, 23, 59, 59), sts.EndUtc);
        Assert.Contains(sts.Warnings, w => w.Contains("time zone"));
        Assert.Empty(sts.PolicyString);
        Assert.Contains(sts.Warnings, w => w.Contains("no policy-string"));
        Assert.Equal(new[] { "contoso-com.mail.protection.outlook.com" }, sts.MxHost);
        var only = Assert.Single(sts.FailureDetails);
        Assert.Equal(string.Empty, only.SendingMtaIp);
        Assert.Equal(12, only.FailedSessionCount);
        var tlsa = reports[1];
        Assert.Equal("tlsa", tlsa.PolicyType);
        Assert.Equal("mail.contoso.com", tlsa.PolicyDomain);
        // Exchange Online's NDR table (shared notes, from Microsoft's NDR article): 5.7.323 tlsa-invalid, 5.7.322 certificate-expired.
        Assert.Equal("5.7.323 tlsa-invalid", tlsa.FailureDetails[0].ExchangeOnlineNdr);
        Assert.Equal("5.7.322 certificate-expired", tlsa.FailureDetails[1].ExchangeOnlineNdr);
        var file = sts.Source.FileName!;
        Assert.Equal("microsoft.com", file.Sender);
        Assert.Equal("contoso.com", file.PolicyDomain);
        Assert.Equal("133775712000000000+contoso.com", file.UniqueId);
        Assert.Equal(Utc(2026, 11, 30, 0, 0, 0), file.BeginUtc);
        Assert.DoesNotContain(sts.Warnings, w => w.Contains("file name"));
    }

    [Fact]
    public void ReadFile_GoogleShape_GzipAndJsonGiveTheSameReport()
    {
        var plain = TlsRptReportReader.ReadFile(Data(GoogleName));
        var gzip = TlsRptReportReader.ReadFile(Data(GoogleName + ".gz"));
        Assert.Equal("gzip", gzip[0].Source.Kind);
        Assert.Equal("json.gz", gzip[0].Source.FileName!.Extension);
        foreach (var reports in new[] { plain, gzip })
        {
            Assert.Equal(2, reports.Count);
            Assert.Equal(new[] { "mail.contoso.com", "*.contoso.com" }, reports[0].MxHost);
            Assert.Equal(5, reports[0].PolicyString.Count);
            Assert.Equal("certificate-host-mismatch", reports[0].FailureDetails[0].ResultType);
            Assert.Equal("no-policy-found", reports[1].PolicyType);
            Assert.Equal(17, reports[1].SuccessfulSessions);
            Assert.Empty(reports[1].FailureDetails);
            Assert.Empty(reports[1].Warnings);
            Assert.Empty(reports[0].Warnings);
        }
    }

    [Fact]
    public void ReadFile_OtherSenderQuirks_AreKeptAsText()
    {
        var report = Assert.Single(TlsRptReportReader.ReadFile(Data("other-sender-quirks.json")));
        Assert.False(report.TimeZoneAssumed);
        Assert.Equal(Utc(2026, 11, 30, 23, 0, 0), report.StartUtc);
        Assert.Equal(new[] { "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6" }, report.PolicyString);
        var dnssec = report.FailureDetails[0];
        Assert.Equal("https://reports.sender.example/tlsrpt?id=quirks-1", dnssec.AdditionalInformation);
        Assert.Equal("mx1.contoso.com", dnssec.ReceivingMxHelo);
        Assert.Equal("5.7.324 dnssec-invalid", dnssec.ExchangeOnlineNdr);
        var unknown = report.FailureDetails[1];
        Assert.Equal("sender-specific-failure", unknown.ResultType);
        Assert.False(unknown.IsKnownResultType);
        Assert.Equal(string.Empty, unknown.ExchangeOnlineNdr);
        Assert.Equal(string.Empty, unknown.SendingMtaIp);
        Assert.Equal("X-LOCAL-42", unknown.FailureReasonCode);
    }

    [Theory]
    [InlineData("wrong-types.json", TlsRptErrorKind.SchemaViolation, "policies[0].summary.total-successful-session-count")]
    [InlineData("not-json.json", TlsRptErrorKind.InvalidJson, "not valid")]
    public void ReadFile_MalformedFile_ThrowsNamingFileAndField(string name, TlsRptErrorKind kind, string detail)
    {
        var ex = Assert.Throws<TlsRptFormatException>(() => TlsRptReportReader.ReadFile(Data(name)));
        Assert.Equal(kind, ex.Kind);
        Assert.Contains(name, ex.Message);
        Assert.Contains(detail, ex.Message);
        Assert.Equal(Data(name), ex.Source);
    }

    [Fact]
    public void ReadText_DeeplyNestedJson_IsRefusedAtTheDepthCap()
    {
        var deep = new StringBuilder();
        for (int i = 0; i < 200; i++) deep.Append("{\"a\":");
        deep.Append('1').Append('}', 200);
        var ex = Assert.Throws<TlsRptFormatException>(() => TlsRptReportReader.ReadText(deep.ToString()));
        Assert.Equal(TlsRptErrorKind.InvalidJson, ex.Kind);
        Assert.Contains("depth", ex.Message);
    }

    [Fact]
    public void ReadFile_GzipBomb_StopsAtTheCapNamingTheFile()
    {
        var bomb = Path.Combine(_temp, "bomb.json.gz");
        using (var file = File.Create(bomb))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 4; i++) gzip.Write(zeros, 0, zeros.Length);
        }
        var options = new TlsRptReadOptions { MaxDecompressedBytes = 1 << 20 };
        var ex = Assert.Throws<TlsRptFormatException>(() => TlsRptReportReader.ReadFile(bomb, options));
        Assert.Equal(TlsRptErrorKind.SizeLimitExceeded, ex.Kind);
        Assert.Contains(bomb, ex.Message);
        Assert.Contains("gzip bomb", ex.Message);
    }

    [Fact]
    public void ReadFile_OverTheInputCap_IsRefusedBeforeReading()
    {
        var options = new TlsRptReadOptions { MaxInputBytes = 100 };
        var ex = Assert.Throws<TlsRptFormatException>(() => TlsRptReportReader.ReadFile(Data(GoogleName), options));
        Assert.Equal(TlsRptErrorKind.SizeLimitExceeded, ex.Kind);
    }

    [Fact]
    public void ReadFile_CorruptGzip_IsInvalidGzip()
    {
        var bad = Path.Combine(_temp, "bad.json.gz");
        File.WriteAllBytes(bad, new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8 });
        var ex = Assert.Throws<TlsRptFormatException>(() => TlsRptReportReader.ReadFile(bad));
        Assert.Equal(TlsRptErrorKind.InvalidGzip, ex.Kind);
        Assert.Contains(bad, ex.Message);
    }

    [Fact]
    public void ReadFile_StoredExchangeOnlineMail_ReadsTheGzipPartAndHeaders()
    {
        var reports = TlsRptReportReader.ReadFile(Data("exchange-online-report.eml"));
        Assert.Equal(2, reports.Count);
        var source = reports[0].Source;
        Assert.Equal("mail", source.Kind);
        Assert.Equal("tlsrpt-noreply@microsoft.com", source.From);
        Assert.Equal("contoso.com", source.ReportDomain);
        Assert.Equal("microsoft.com", source.ReportSubmitter);
        Assert.Equal("application/tlsrpt+gzip", source.ContentType);
        Assert.Equal(MicrosoftName + ".gz", source.AttachmentName);
        Assert.Equal("133775712000000000+contoso.com", source.FileName!.UniqueId);
        Assert.StartsWith("Report Domain: contoso.com", source.Subject);
        Assert.DoesNotContain(reports[0].Warnings, w => w.Contains("differs"));
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data, 0, data.Length);
        return output.ToArray();
    }

    private string WriteMessage(MimeMessage message, string name)
    {
        var path = Path.Combine(_temp, name);
        using (var file = File.Create(path)) message.WriteTo(file);
        return path;
    }

    private static MimeMessage NewMessage(string subject, MimeEntity body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("noreply-smtp-tls-reporting@google.com"));
        message.To.Add(MailboxAddress.Parse("tlsrpt@contoso.com"));
        message.Subject = subject;
        message.Headers.Add("TLS-Report-Domain", "contoso.com");
        message.Headers.Add("TLS-Report-Submitter", "google.com");
        message.Body = body;
        return message;
    }

    [Fact]
    public void ReadFile_MailWithGenericGzipAttachment_IsFoundByTypeAndName()
    {
        var json = File.ReadAllBytes(Data(GoogleName));
        var attachment = new MimePart("application", "gzip")
        {
            Content = new MimeContent(new MemoryStream(Gzip(json))),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = GoogleName + ".gz",
        };
        var mixed = new Multipart("mixed") { new TextPart("plain") { Text = "Report attached." }, attachment };
        var path = WriteMessage(NewMessage("Report Domain: contoso.com Submitter: google.com Report-ID: <2026-11-30T00:00:00Z_contoso.com>", mixed), "google.eml");
        var reports = TlsRptReportReader.ReadFile(path);
        Assert.Equal(2, reports.Count);
        Assert.Equal("application/gzip", reports[0].Source.ContentType);
        Assert.Empty(reports[0].Warnings);
    }

    [Fact]
    public void ReadFile_MailWhoseBodyIsTheReport_IsRead()
    {
        var body = new TextPart("plain") { Text = File.ReadAllText(Data(GoogleName)) };
        var path = WriteMessage(NewMessage("Report Domain: contoso.com Submitter: google.com Report-ID: <2026-11-30T00:00:00Z_contoso.com>", body), "body.eml");
        Assert.Equal(2, TlsRptReportReader.ReadFile(path).Count);
    }

    [Fact]
    public void ReadFile_MailWithoutReport_IsNoReportInMessage()
    {
        var path = WriteMessage(NewMessage("Hello", new TextPart("plain") { Text = "No report here." }), "none.eml");
        var ex = Assert.Throws<TlsRptFormatException>(() => TlsRptReportReader.ReadFile(path));
        Assert.Equal(TlsRptErrorKind.NoReportInMessage, ex.Kind);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void ReadFile_HeadersAndNamesDisagreeingWithTheJson_WarnAndTheJsonWins()
    {
        var json = File.ReadAllBytes(Data(GoogleName));
        var attachment = new MimePart("application", "tlsrpt+gzip")
        {
            Content = new MimeContent(new MemoryStream(Gzip(json))),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "google.com!fabrikam.com!1795996800!1796169599!001.json.gz",
        };
        var report = new Multipart("report") { new TextPart("plain") { Text = "Report." }, attachment };
        report.ContentType.Parameters.Add("report-type", "tlsrpt");
        var message = NewMessage("Report Domain: fabrikam.com Submitter: google.com Report-ID: <other-id>", report);
        message.Headers.Replace("TLS-Report-Domain", "fabrikam.com");
        var reports = TlsRptReportReader.ReadFile(WriteMessage(message, "mismatch.eml"));
        var first = reports[0];
        Assert.Equal("contoso.com", first.PolicyDomain);
        Assert.Equal("2026-11-30T00:00:00Z_contoso.com", first.ReportId);
        Assert.Contains(first.Warnings, w => w.Contains("file name's policy domain 'fabrikam.com'"));
        Assert.Contains(first.Warnings, w => w.Contains("file name's period"));
        Assert.Contains(first.Warnings, w => w.Contains("TLS-Report-Domain header 'fabrikam.com'"));
        Assert.Contains(first.Warnings, w => w.Contains("subject's Report-ID 'other-id'"));
    }

    [Fact]
    public void EnumerateFolder_Maildir_ListsCurAndNewOnly()
    {
        foreach (var sub in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(_temp, sub));
        File.WriteAllText(Path.Combine(_temp, "cur", "1.eml"), "x");
        File.WriteAllText(Path.Combine(_temp, "new", "2.eml"), "x");
        File.WriteAllText(Path.Combine(_temp, "tmp", "3.eml"), "x");
        var files = TlsRptReportReader.EnumerateFolder(_temp).Select(Path.GetFileName);
        Assert.Equal(new[] { "1.eml", "2.eml" }, files);
    }

    [Fact]
    public void ReadBytes_GzipAndText_AreRead()
    {
        var json = File.ReadAllBytes(Data(GoogleName));
        Assert.Equal(2, TlsRptReportReader.ReadBytes(Gzip(json)).Count);
        Assert.Equal(2, TlsRptReportReader.ReadBytes(json).Count);
        Assert.Equal("InputObject", TlsRptReportReader.ReadText(Encoding.UTF8.GetString(json))[0].Source.Path);
    }

    [Fact]
    public void FileName_Rfc8460Example_HasItsFields()
    {
        // RFC 8460 section 5.3.1's example name.
        Assert.True(TlsRptFileName.TryParse("mail.sender.example.com!example.com!1470013207!1470186807!001.json.gz", out var name));
        Assert.Equal("mail.sender.example.com", name!.Sender);
        Assert.Equal("example.com", name.PolicyDomain);
        Assert.Equal(Utc(2016, 8, 1, 1, 0, 7), name.BeginUtc);
        Assert.Equal(Utc(2016, 8, 3, 1, 13, 27), name.EndUtc);
        Assert.Equal("001", name.UniqueId);
        Assert.Equal("json.gz", name.Extension);
        Assert.False(TlsRptFileName.TryParse("report.json.gz", out _));
    }

    [Theory]
    [InlineData("tlsa", "starttls-not-supported", "5.7.321 starttls-not-supported")]
    [InlineData("tlsa", "certificate-expired", "5.7.322 certificate-expired")]
    [InlineData("tlsa", "tlsa-invalid", "5.7.323 tlsa-invalid")]
    [InlineData("tlsa", "dnssec-invalid", "5.7.324 dnssec-invalid")]
    [InlineData("tlsa", "certificate-host-mismatch", "5.7.325 certificate-host-mismatch")]
    [InlineData("sts", "sts-webpki-invalid", "5.7.5 Remote certificate failed MTA-STS validation")]
    [InlineData("sts", "validation-failure", "5.4.8 MX hosts failed MTA-STS validation")]
    [InlineData("sts", "sts-policy-fetch-error", "")]
    [InlineData("no-policy-found", "starttls-not-supported", "")]
    [InlineData("tlsa", "made-up", "")]
    public void ExchangeOnlineNdr_FollowsExchangeOnlinesTable(string policyType, string resultType, string expected)
    {
        Assert.Equal(expected, TlsRptResultTypes.ExchangeOnlineNdr(policyType, resultType));
    }
}
