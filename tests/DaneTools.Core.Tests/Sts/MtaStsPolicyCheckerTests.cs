using System;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.Sts;
using DaneTools.Core.Tests.Dane.Policy;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Sts;

/// <summary>Discovery (RFC 8461 section 3.1) through our resolver, then fetch and parse; problems with RFC 8460 result types.</summary>
public sealed class MtaStsPolicyCheckerTests : IDisposable
{
    private const string Domain = "example.com";
    private const string Policy = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n";
    private readonly LoopbackHttps.TestCa _ca = new();
    private readonly FakeValidatedResolver _dns = new();

    public MtaStsPolicyCheckerTests()
    {
        _dns.Host("mta-sts.example.com", Insecure, "127.0.0.1");
    }

    public void Dispose() => _ca.Dispose();

    private Task<MtaStsPolicyResult> Check(LoopbackHttps? server) =>
        new MtaStsPolicyChecker(_dns).CheckAsync(Domain, new MtaStsFetchOptions
        {
            HttpsPort = server?.Port ?? 9, ExtraTrustRoots = new[] { _ca.RootDer }, TimeoutSeconds = 10,
        });

    private void Txt(params string[] records) => _dns.Set("_mta-sts.example.com", DnsRecordType.TXT, Insecure, records);

    [Fact]
    public async Task Check_OneRecordAndValidPolicy_GivesEnforce()
    {
        Txt("\"v=spf1 -all\"", "\"v=STSv1; \" \"id=20160831085700Z;\""); // strings concatenated; other records discarded
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", LoopbackHttps.Reply(200, "text/plain", Policy));
        var r = await Check(server);
        Assert.Empty(r.Problems);
        Assert.Equal(MtaStsMode.Enforce, r.Mode);
        Assert.Equal("20160831085700Z", r.PolicyId);
        Assert.Equal(new[] { "mail.example.com", "*.example.net" }, r.MxPatterns);
        Assert.Equal(200, r.HttpStatus);
        Assert.Equal(Policy, r.PolicyText);
        Assert.True(_dns.WasQueried("mta-sts.example.com", DnsRecordType.A));
    }

    [Fact]
    public async Task Check_LooksUpTlsRptAtSmtpTls()
    {
        Txt("\"v=spf1 -all\"");
        _dns.Set("_smtp._tls.example.com", DnsRecordType.TXT, Insecure, new[] { "\"v=spf1 -all\"", "\"v=TLSRPTv1;\" \"rua=mailto:tlsrpt@example.com\"" });
        var r = await Check(null);
        Assert.True(r.TlsRptValid);
        Assert.Equal(new[] { "mailto:tlsrpt@example.com" }, r.TlsRptReportUris);
        Assert.Equal(string.Empty, r.TlsRptProblem);
    }

    [Fact]
    public async Task Check_TwoTlsRptRecords_IsAProblem()
    {
        Txt("\"v=spf1 -all\"");
        _dns.Set("_smtp._tls.example.com", DnsRecordType.TXT, Insecure, new[] { "\"v=TLSRPTv1; rua=mailto:a@example.com\"", "\"v=TLSRPTv1; rua=mailto:b@example.com\"" });
        var r = await Check(null);
        Assert.False(r.TlsRptValid);
        Assert.Contains("exactly one", r.TlsRptProblem);
    }

    [Fact]
    public async Task Check_NoRecord_IsNoPolicyWithoutFetch()
    {
        Txt("\"v=spf1 -all\"");
        var r = await Check(null);
        Assert.Equal(MtaStsMode.NoPolicy, r.Mode);
        Assert.Empty(r.Problems);
        Assert.False(r.Published);
        Assert.Null(r.Fetch);
    }

    [Fact]
    public async Task Check_TwoRecords_IsInvalidWithoutFetch()
    {
        Txt("\"v=STSv1; id=a1;\"", "\"v=STSv1; id=b2;\"");
        var r = await Check(null);
        Assert.Equal(MtaStsMode.NoPolicy, r.Mode);
        Assert.Equal(MtaStsResultTypes.PolicyInvalid, r.ResultType);
        Assert.Null(r.Fetch);
    }

    [Fact]
    public async Task Check_RecordWithoutSemicolonPrefix_IsDiscarded()
    {
        Txt("\"v=STSv1 id=a1\"");
        var r = await Check(null);
        Assert.Equal(MtaStsMode.NoPolicy, r.Mode);
        Assert.Empty(r.Problems);
        Assert.Single(r.Warnings);
    }

    [Fact]
    public async Task Check_BadId_IsInvalid()
    {
        Txt("\"v=STSv1; id=not-alnum;\"");
        var r = await Check(null);
        Assert.Equal(MtaStsResultTypes.PolicyInvalid, r.ResultType);
    }

    [Fact]
    public async Task Check_InvalidPolicy_IsNoPolicyWithProblem()
    {
        Txt("\"v=STSv1; id=a1;\"");
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", LoopbackHttps.Reply(200, "text/plain", "version: STSv1\nmode: enforce\nmax_age: 86400\n"));
        var r = await Check(server);
        Assert.Equal(MtaStsMode.NoPolicy, r.Mode);
        Assert.Equal(MtaStsResultTypes.PolicyInvalid, r.ResultType);
        Assert.NotNull(r.PolicyText);
        Assert.Null(r.Policy);
    }

    [Fact]
    public async Task Check_PolicyHostWithoutAddress_IsFetchError()
    {
        Txt("\"v=STSv1; id=a1;\"");
        _dns.Set("mta-sts.example.com", DnsRecordType.A, Insecure, nx: true);
        _dns.Set("mta-sts.example.com", DnsRecordType.AAAA, Insecure, nx: true);
        var r = await Check(null);
        Assert.Equal(MtaStsResultTypes.PolicyFetchError, r.ResultType);
    }

    [Fact]
    public async Task Check_BogusTxt_IsFetchError()
    {
        _dns.Set("_mta-sts.example.com", DnsRecordType.TXT, Bogus);
        var r = await Check(null);
        Assert.Equal(MtaStsMode.NoPolicy, r.Mode);
        Assert.Equal(MtaStsResultTypes.PolicyFetchError, r.ResultType);
    }

    [Fact]
    public void CoverageWarnings_NameUnusedPatternsAndUncoveredHosts()
    {
        Assert.True(MtaStsPolicy.TryParse(Policy, out var p, out _));
        var w = MtaStsPolicyChecker.CoverageWarnings(p, new[] { "mail.example.com.", "backup.example.org" });
        Assert.Equal(2, w.Count);
        Assert.Contains("'*.example.net' covers no MX host", w[0]);
        Assert.Contains("backup.example.org is covered by no mx pattern", w[1]);
    }
}
