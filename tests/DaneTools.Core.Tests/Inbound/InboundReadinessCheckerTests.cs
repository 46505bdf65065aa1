using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Inbound;
using DaneTools.Core.Sts;
using DaneTools.Core.Tests.Dane;
using DaneTools.Core.Tests.Dane.Policy;
using DaneTools.Core.Tests.Dnssec;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Inbound;

/// <summary>
/// The readiness checker over the fake resolver and prober, one domain per step of the move (EXCHANGE.md section 1.5: the
/// legacy <c>*.mail.protection.outlook.com</c> zone is unsigned, the new <c>&lt;domain-key&gt;.&lt;x&gt;-v1.mx.microsoft</c>
/// host is signed and gets Microsoft's TLSA records after Enable-SmtpDaneInbound; one MX at preference 0 or 10, no fallback).
/// </summary>
public sealed class InboundReadinessCheckerTests
{
    private const string Domain = "contoso.com";
    private const string Legacy = "contoso-com.mail.protection.outlook.com";
    private const string New = "contoso-com.e-v1.mx.microsoft";
    private const string Ip = "192.0.2.10";
    private const string LegacyIp = "192.0.2.20";

    private static readonly TestPki.Hierarchy Pki = new(new TestPki.Spec { Subject = "CN=" + New, DnsNames = new[] { "*.e-v1.mx.microsoft" } });

    private static string Spki256 => Convert.ToHexString(SHA256.HashData(RawCertificate.TryParse(Pki.Chain()[0])!.Spki));

    private sealed class Lab
    {
        public FakeValidatedResolver Dns { get; } = new();
        public FakeSmtpProber Smtp { get; } = new();

        public Lab()
        {
            Dns.Host(Legacy, Insecure, LegacyIp);
            Dns.Host(New, Secure, Ip);
            Smtp.Tls(Ip, Pki.Chain());
            Smtp.Tls(LegacyIp, Pki.Chain());
        }

        public Task<InboundReadinessResult> Check(string? expected = null, MtaStsPolicyResult? sts = null, bool dnsOnly = false) =>
            CheckWith(new InboundReadinessOptions
            {
                ExpectedMxHost = expected,
                Dane = new DaneCheckOptions { ValidationTime = TestPki.Now, HeloName = "client.test", DnsOnly = dnsOnly },
            }, sts);

        private async Task<InboundReadinessResult> CheckWith(InboundReadinessOptions options, MtaStsPolicyResult? sts)
        {
            var dane = await new DaneDomainChecker(Dns, Smtp).CheckAsync(Domain, options.Dane);
            return InboundReadinessChecker.Evaluate(dane, sts, options);
        }
    }

    private static InboundCheck Check(InboundReadinessResult r, InboundCheckKind kind) => r.Checks.Single(c => c.Kind == kind);

    private static MtaStsPolicyResult Sts(string mode, string mx)
    {
        Assert.True(MtaStsTxtRecord.TryParse("v=STSv1; id=abc1;", out var record, out _));
        Assert.True(MtaStsPolicy.TryParse($"version: STSv1\nmode: {mode}\nmx: {mx}\nmax_age: 604800\n", out var policy, out var e), e);
        return new MtaStsPolicyResult(Domain, null, new[] { record!.Text }, record, Array.Empty<DaneLookupResult>(), null, policy,
            Array.Empty<MtaStsProblem>(), Array.Empty<string>(), TestPki.Now, 0);
    }

    [Fact]
    public async Task Unsigned_domain_is_NotSigned_and_asks_for_the_DS()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Insecure, $"0 {Legacy}.");
        var r = await lab.Check();
        Assert.Equal(InboundStage.NotSigned, r.Stage);
        Assert.Equal(InboundCodes.Insecure, Check(r, InboundCheckKind.DnssecChain).Code);
        Assert.Contains("DS", r.NextStep);
    }

    [Fact]
    public async Task Bogus_chain_is_NotSigned_with_the_broken_link()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Bogus);
        var r = await lab.Check();
        Assert.Equal(InboundStage.NotSigned, r.Stage);
        var dnssec = Check(r, InboundCheckKind.DnssecChain);
        Assert.Equal(InboundCheckStatus.Fail, dnssec.Status);
        Assert.Equal(InboundCodes.Bogus, dnssec.Code);
    }

    [Theory]
    // A DS at the parent that no DNSKEY of the zone matches (RFC 4035 section 5.2): the registrar's side of the link.
    [InlineData(ReasonCodes.NoDnskeyForDs, "Publish at the registrar a DS record for contoso.com that matches")]
    [InlineData(ReasonCodes.DsDigestMismatch, "Publish at the registrar a DS record for contoso.com that matches")]
    // Signatures outside their validity window (RFC 4035 section 5.3.1): the DNS host's side.
    [InlineData(ReasonCodes.RrsigExpired, "Re-sign contoso.com at its DNS host")]
    [InlineData(ReasonCodes.MissingRrsig, "Re-sign contoso.com at its DNS host")]
    public async Task Bogus_chain_names_the_zone_of_the_broken_link_and_its_repair(string code, string nextStep)
    {
        var lab = new Lab();
        lab.Dns.Set(Domain, DnsRecordType.MX, Bogus,
            reason: new ValidationReason(code, ReasonCodes.ExtendedDnsErrorOf(code), "contoso.com.", "contoso.com. DNSKEY", "The link is broken."));
        var r = await lab.Check();
        var dnssec = Check(r, InboundCheckKind.DnssecChain);
        Assert.Equal(InboundStage.NotSigned, r.Stage);
        Assert.Equal("contoso.com", r.Dane.MxLookup.ReasonZone);
        Assert.Contains("the link of the chain at contoso.com is broken", dnssec.Reason);
        Assert.StartsWith(nextStep, dnssec.NextStep);
        Assert.Equal(dnssec.NextStep, r.NextStep);
    }

    [Fact]
    public async Task Move_in_progress_to_another_host_than_the_expected_one_asks_for_the_expected_value_alone()
    {
        // Get-DnssecStatusForVerifiedDomain's ExpectedMxRecord names the host to publish (EXCHANGE.md 1.4), not whatever
        // mx.microsoft host happens to be published beside the legacy one.
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {Legacy}.", $"20 {New}.");
        var r = await lab.Check(expected: "contoso-com.f-v1.mx.microsoft");
        var mx = Check(r, InboundCheckKind.MxRecordSet);
        Assert.Equal(InboundCodes.NewWithOthers, mx.Code);
        Assert.Equal(InboundStage.MigrationInProgress, r.Stage);
        Assert.Equal($"Publish '@ MX 0 contoso-com.f-v1.mx.microsoft.' alone (the value Exchange Online gave) and delete the MX of {Legacy}, {New}.", mx.NextStep);
    }

    [Fact]
    public async Task Gateway_in_front_is_NotExchangeOnline()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, "10 mx1.gateway.example.");
        lab.Dns.Host("mx1.gateway.example", Insecure, "192.0.2.30");
        var r = await lab.Check();
        Assert.Equal(InboundStage.NotExchangeOnline, r.Stage);
        Assert.Equal(InboundCodes.NoExchangeOnlineHost, Check(r, InboundCheckKind.MxRecordSet).Code);
    }

    [Fact]
    public async Task Signed_with_the_legacy_MX_asks_for_Enable_DnssecForVerifiedDomain()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {Legacy}.");
        var r = await lab.Check();
        Assert.Equal(InboundStage.SignedLegacyMx, r.Stage);
        Assert.Contains("Enable-DnssecForVerifiedDomain -DomainName contoso.com", r.NextStep);
        Assert.Equal(InboundCheckStatus.NotChecked, Check(r, InboundCheckKind.Tlsa).Status);
        Assert.False(lab.Dns.WasQueried("_25._tcp." + Legacy, DnsRecordType.TLSA), "no TLSA query where the addresses are insecure (RFC 7672 section 2.2.2)");
    }

    [Fact]
    public async Task MxTtl_of_a_signed_MX_is_the_RRSIG_Original_TTL_not_the_resolver_countdown()
    {
        // The usual 3600 s MX TTL read from a cache 2600 s after it was fetched: served with 1000 s left, while the RRSIG's
        // Original TTL keeps the zone's 3600 s (RFC 4034 section 3.1.4; RFC 4035 section 5.3.3). Restored, not lowered.
        using var h = new TestHierarchy();
        var mx = new[] { ResourceRecord.Parse("example.test. 1000 IN MX 0 mx.example.test.") };
        h.Source.Add("example.test.", DnsRecordType.MX, mx.Append(h.Zone.Sign(mx, originalTtl: 3600)).ToList());
        h.Source.Add("mx.example.test.", DnsRecordType.A, h.Zone.Signed("mx.example.test. 3600 IN A 192.0.2.1"));
        h.Source.Add("mx.example.test.", DnsRecordType.AAAA, null, h.Zone.Signed("mx.example.test. 300 IN NSEC zz.example.test. A RRSIG NSEC"));
        h.Source.Add("_25._tcp.mx.example.test.", DnsRecordType.TLSA, h.Zone.Signed($"_25._tcp.mx.example.test. 3600 IN TLSA 3 1 1 {Spki256}"));
        var options = new InboundReadinessOptions
        {
            ExpectedMxHost = "mx.example.test",
            Dane = new DaneCheckOptions { ValidationTime = TestHierarchy.Now, DnsOnly = true },
        };
        var dane = await new DaneDomainChecker(new ChainValidatorResolver(h.Validator()), new FakeSmtpProber()).CheckAsync("example.test", options.Dane);

        var r = InboundReadinessChecker.Evaluate(dane, null, options);

        Assert.Equal(InboundCodes.NewOnly, Check(r, InboundCheckKind.MxRecordSet).Code);
        var ttl = Check(r, InboundCheckKind.MxTtl);
        Assert.Equal((InboundCheckStatus.Pass, "Ttl"), (ttl.Status, ttl.Code));
        Assert.Equal(3600u, r.MxTtlSeconds);
        Assert.Equal("The MX TTL is 3600 s (the RRSIG's Original TTL).", ttl.Reason);
    }

    [Fact]
    public async Task MxTtl_of_an_unsigned_MX_is_the_TTL_served_and_says_so()
    {
        // No RRSIG covers an unsigned RRset, so only the served TTL is known (the fake serves 300 s).
        var lab = new Lab();
        lab.Dns.Mx(Domain, Insecure, $"0 {New}.");
        var r = await lab.Check();
        var ttl = Check(r, InboundCheckKind.MxTtl);
        Assert.Equal(300u, r.MxTtlSeconds);
        Assert.Equal("LowTtlAfterMove", ttl.Code);
        Assert.Equal("The MX TTL is 300 s (as served: no valid RRSIG covers the MX RRset), a value for the move.", ttl.Reason);
    }

    [Fact]
    public async Task Both_MX_is_MigrationInProgress_and_names_the_host_to_delete()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {Legacy}.", $"20 {New}.");
        lab.Dns.Tlsa(New, Secure, "3 1 1 " + Spki256);
        var r = await lab.Check();
        Assert.Equal(InboundStage.MigrationInProgress, r.Stage);
        Assert.Equal(New, r.NewMxHost);
        var mx = Check(r, InboundCheckKind.MxRecordSet);
        Assert.Equal(InboundCodes.NewWithOthers, mx.Code);
        Assert.Contains(Legacy, mx.NextStep);
        Assert.Contains($"MX 0 {New}.", mx.NextStep);
    }

    [Fact]
    public async Task New_MX_alone_without_TLSA_asks_for_Enable_SmtpDaneInbound()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {New}.");
        lab.Dns.Tlsa(New, Secure);
        var r = await lab.Check();
        Assert.Equal(InboundStage.MxMigrated, r.Stage);
        Assert.Equal("NoTlsa", Check(r, InboundCheckKind.Tlsa).Code);
        Assert.Contains("Enable-SmtpDaneInbound -DomainName contoso.com", r.NextStep);
    }

    [Fact]
    public async Task Matching_TLSA_with_a_next_key_is_DaneVerified_and_the_extra_record_is_information()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {New}.");
        lab.Dns.Tlsa(New, Secure, "3 1 1 " + Spki256, "3 1 1 " + new string('B', 64));
        var r = await lab.Check();
        Assert.Equal(InboundStage.DaneVerified, r.Stage);
        var probe = Check(r, InboundCheckKind.StartTlsProbe);
        Assert.Equal(InboundCheckStatus.Pass, probe.Status);
        Assert.Equal("MatchedWithExtra", probe.Code);
        Assert.Equal(DaneStatus.Pass, r.SenderStatus);
    }

    [Fact]
    public async Task Certificate_not_matching_is_DaneEnabled_with_the_probe_failing()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"10 {New}.");
        lab.Dns.Tlsa(New, Secure, "3 1 1 " + new string('A', 64));
        var r = await lab.Check();
        Assert.Equal(InboundStage.DaneEnabled, r.Stage);
        Assert.Equal(InboundCheckStatus.Fail, Check(r, InboundCheckKind.StartTlsProbe).Status);
        Assert.Equal(DaneStatus.Fail, r.SenderStatus);
    }

    [Fact]
    public async Task Dns_only_stops_at_DaneEnabled()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {New}.");
        lab.Dns.Tlsa(New, Secure, "3 1 1 " + Spki256);
        var r = await lab.Check(dnsOnly: true);
        Assert.Equal(InboundStage.DaneEnabled, r.Stage);
        Assert.Equal("DnsOnly", Check(r, InboundCheckKind.StartTlsProbe).Code);
    }

    [Fact]
    public async Task Enforce_policy_without_the_new_host_is_DaneEnabled_and_asks_for_the_mx_line()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {New}.");
        lab.Dns.Tlsa(New, Secure, "3 1 1 " + Spki256);
        var r = await lab.Check(sts: Sts("enforce", "*.mail.protection.outlook.com"));
        Assert.Equal(InboundStage.DaneEnabled, r.Stage);
        var sts = Check(r, InboundCheckKind.MtaSts);
        Assert.Equal(InboundCheckStatus.Fail, sts.Status);
        Assert.Contains($"mx: {New}", sts.NextStep);
    }

    [Fact]
    public async Task Testing_policy_without_the_new_host_warns_only()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {New}.");
        lab.Dns.Tlsa(New, Secure, "3 1 1 " + Spki256);
        var r = await lab.Check(sts: Sts("testing", "*.mail.protection.outlook.com"));
        Assert.Equal(InboundStage.DaneVerified, r.Stage);
        Assert.Equal(InboundCheckStatus.Warning, Check(r, InboundCheckKind.MtaSts).Status);
    }

    [Theory]
    [InlineData("0", null, InboundCheckStatus.Pass)]
    [InlineData("10", null, InboundCheckStatus.Pass)]
    [InlineData("20", null, InboundCheckStatus.Fail)]
    [InlineData("0", "other-key.e-v1.mx.microsoft", InboundCheckStatus.Fail)]
    [InlineData("0", New, InboundCheckStatus.Pass)]
    public async Task Only_preference_0_or_10_and_the_expected_value_pass(string preference, string? expected, InboundCheckStatus status)
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"{preference} {New}.");
        lab.Dns.Tlsa(New, Secure, "3 1 1 " + Spki256);
        var r = await lab.Check(expected);
        Assert.Equal(status, Check(r, InboundCheckKind.MxRecordSet).Status);
        Assert.Equal(status == InboundCheckStatus.Pass ? InboundStage.DaneVerified : InboundStage.DaneEnabled, r.Stage);
    }

    [Fact]
    public async Task Fallback_gateway_beside_the_new_host_is_MigrationInProgress()
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {New}.", "50 backup.gateway.example.");
        lab.Dns.Host("backup.gateway.example", Insecure, "192.0.2.31");
        lab.Dns.Tlsa(New, Secure, "3 1 1 " + Spki256);
        var r = await lab.Check();
        Assert.Equal(InboundStage.MigrationInProgress, r.Stage);
        Assert.Contains("backup.gateway.example", Check(r, InboundCheckKind.MxRecordSet).NextStep);
    }

    [Fact]
    public void Classify_uses_the_expected_host_and_both_suffixes()
    {
        var o = new InboundReadinessOptions { ExpectedMxHost = "mx.contoso.example" };
        Assert.Equal(InboundReadinessChecker.HostKind.New, InboundReadinessChecker.Classify("MX.contoso.example.", o));
        Assert.Equal(InboundReadinessChecker.HostKind.New, InboundReadinessChecker.Classify(New, o));
        Assert.Equal(InboundReadinessChecker.HostKind.Legacy, InboundReadinessChecker.Classify(Legacy, o));
        Assert.Equal(InboundReadinessChecker.HostKind.Other, InboundReadinessChecker.Classify("mx.microsoft", o));
        Assert.Equal(InboundReadinessChecker.HostKind.Other, InboundReadinessChecker.Classify("evilmx.microsoft", o));
    }

    [Theory]
    [InlineData(true, "Published")]
    [InlineData(false, "NoTlsRpt")]
    public async Task TLS_RPT_is_information_and_points_DANE_reports_at_the_MX_host(bool published, string code)
    {
        var lab = new Lab();
        lab.Dns.Mx(Domain, Secure, $"0 {New}.");
        lab.Dns.Tlsa(New, Secure, "3 1 1 " + Spki256);
        if (published) lab.Dns.Set("_smtp._tls." + Domain, DnsRecordType.TXT, Secure, new[] { "\"v=TLSRPTv1; rua=mailto:tlsrpt@contoso.com\"" });
        var r = await new InboundReadinessChecker(lab.Dns, lab.Smtp).CheckAsync(Domain, new InboundReadinessOptions
        {
            Dane = new DaneCheckOptions { ValidationTime = TestPki.Now, HeloName = "client.test" },
        });
        var check = Check(r, InboundCheckKind.TlsRpt);
        Assert.Equal(InboundCheckStatus.Information, check.Status);
        Assert.Equal(code, check.Code);
        Assert.Contains("_smtp._tls." + New, check.Reason);
        Assert.Equal(InboundStage.DaneVerified, r.Stage);
    }
}
