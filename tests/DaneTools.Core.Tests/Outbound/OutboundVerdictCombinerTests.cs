using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Outbound;
using DaneTools.Core.Sts;
using DaneTools.Core.Tests.Dane;
using DaneTools.Core.Tests.Dane.Policy;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Outbound;

/// <summary>
/// The outbound verdict with DANE and MTA-STS together, table-driven. Expected values: RFC 8461 section 2 (MTA-STS never
/// overrides a failing DANE validation), sections 4.1-4.2 and 5 (enforce fails, testing reports, none is no policy), RFC
/// 8460 section 4.3 (result types) and EXCHANGE.md section 1.5 (4/5.4.8 for an MX host not listed, 4/5.7.5 for a
/// certificate failing WebPKI). The DANE side comes from the real <see cref="DaneDomainChecker"/> over fakes.
/// </summary>
public sealed class OutboundVerdictCombinerTests
{
    private const string Domain = "example.com";
    private const string Mx1 = "mx1.example.com";
    private const string Mx2 = "mx2.example.com";
    private const string Ip1 = "192.0.2.1";
    private const string Ip2 = "192.0.2.2";

    public enum Cert { WebPki, WrongName, SelfSigned }

    public enum Dane { None, Pass, Fail }

    private static readonly TestPki.Hierarchy Pki1 = new(new TestPki.Spec { Subject = "CN=" + Mx1, DnsNames = new[] { Mx1 } });
    private static readonly TestPki.Hierarchy Pki2 = new(new TestPki.Spec { Subject = "CN=" + Mx2, DnsNames = new[] { Mx2 } });
    private static readonly TestPki.Hierarchy WrongName = new(new TestPki.Spec { Subject = "CN=www.example.com", DnsNames = new[] { "www.example.com" } });
    private static readonly TestPki.Issued SelfSigned = TestPki.Issue(new TestPki.Spec { Subject = "CN=" + Mx1, DnsNames = new[] { Mx1 } });
    private static readonly WebPkiValidator Validator = new(new[] { Pki1.Root.Der, Pki2.Root.Der, WrongName.Root.Der }, useSystemTrust: false);

    private static List<byte[]> Chain(Cert cert) => cert switch
    {
        Cert.WebPki => Pki1.Chain(),
        Cert.WrongName => WrongName.Chain(),
        _ => new List<byte[]> { SelfSigned.Der },
    };

    private static string Spki256(List<byte[]> chain) => Convert.ToHexString(SHA256.HashData(RawCertificate.TryParse(chain[0])!.Spki));

    private static async Task<DaneDomainResult> DaneCheck(Dane dane, Cert cert, bool twoHosts = false, bool dnsOnly = false)
    {
        var dns = new FakeValidatedResolver();
        var smtp = new FakeSmtpProber();
        var status = dane == Dane.None ? Insecure : Secure;
        dns.Mx(Domain, status, twoHosts ? new[] { $"10 {Mx1}.", $"20 {Mx2}." } : new[] { $"10 {Mx1}." });
        dns.Host(Mx1, status, Ip1);
        var chain = Chain(cert);
        smtp.Tls(Ip1, chain);
        if (dane == Dane.Pass) dns.Tlsa(Mx1, Secure, "3 1 1 " + Spki256(chain));
        if (dane == Dane.Fail) dns.Tlsa(Mx1, Secure, "3 1 1 " + new string('A', 64));
        if (twoHosts)
        {
            dns.Host(Mx2, status, Ip2);
            smtp.Tls(Ip2, Pki2.Chain());
        }
        return await new DaneDomainChecker(dns, smtp).CheckAsync(Domain,
            new DaneCheckOptions { ValidationTime = TestPki.Now, HeloName = "client.test", DnsOnly = dnsOnly });
    }

    private static MtaStsPolicyResult Sts(string? mode, string mx = Mx1)
    {
        if (mode is null)
            return new MtaStsPolicyResult(Domain, null, Array.Empty<string>(), null, Array.Empty<DaneLookupResult>(), null, null,
                Array.Empty<MtaStsProblem>(), Array.Empty<string>(), TestPki.Now, 0);
        Assert.True(MtaStsTxtRecord.TryParse("v=STSv1; id=abc1;", out var record, out _));
        Assert.True(MtaStsPolicy.TryParse($"version: STSv1\nmode: {mode}\nmx: {mx}\nmax_age: 604800\n", out var policy, out var e), e);
        return new MtaStsPolicyResult(Domain, null, new[] { record!.Text }, record, Array.Empty<DaneLookupResult>(), null, policy,
            Array.Empty<MtaStsProblem>(), Array.Empty<string>(), TestPki.Now, 0);
    }

    public static IEnumerable<object?[]> Table() => new List<object?[]>
    {
        // dane, cert, mode, mx pattern, status, NDR prefix, strict status, strict NDR prefix, policy type, result type
        new object?[] { Dane.None, Cert.WebPki, "enforce", Mx1, DaneStatus.Pass, "", DaneStatus.Pass, "", "sts", "" },
        new object?[] { Dane.None, Cert.WebPki, "enforce", "*.example.com", DaneStatus.Pass, "", DaneStatus.Pass, "", "sts", "" },
        new object?[] { Dane.None, Cert.WebPki, "enforce", "other.example.com", DaneStatus.Fail, "5.4.8 MX hosts of example.com failed MTA-STS validation", DaneStatus.Fail, "5.4.8", "sts", "validation-failure" },
        new object?[] { Dane.None, Cert.WebPki, "enforce", "*.mx1.example.com", DaneStatus.Fail, "5.4.8", DaneStatus.Fail, "5.4.8", "sts", "validation-failure" },
        new object?[] { Dane.None, Cert.WrongName, "enforce", Mx1, DaneStatus.Fail, "5.7.5 Remote certificate failed MTA-STS validation. Reason:", DaneStatus.Fail, "5.7.5", "sts", "certificate-host-mismatch" },
        new object?[] { Dane.None, Cert.SelfSigned, "enforce", Mx1, DaneStatus.Fail, "5.7.5", DaneStatus.Fail, "5.7.5", "sts", "certificate-not-trusted" },
        // testing: reported, delivered (the DANE verdict stands: no DANE is NotApplicable)
        new object?[] { Dane.None, Cert.SelfSigned, "testing", "other.example.com", DaneStatus.NotApplicable, "", DaneStatus.NotApplicable, "", "sts", "validation-failure" },
        new object?[] { Dane.None, Cert.SelfSigned, "none", "other.example.com", DaneStatus.NotApplicable, "", DaneStatus.NotApplicable, "", "sts", "" },
        new object?[] { Dane.None, Cert.SelfSigned, null, Mx1, DaneStatus.NotApplicable, "", DaneStatus.NotApplicable, "", "no-policy-found", "" },
        // DANE applies: a DANE pass with a self-signed DANE-EE certificate; assumed to excuse the MTA-STS failure, strict would not.
        new object?[] { Dane.Pass, Cert.SelfSigned, "enforce", Mx1, DaneStatus.Pass, "", DaneStatus.Fail, "5.7.5", "tlsa", "" },
        new object?[] { Dane.Pass, Cert.WebPki, "enforce", "other.example.com", DaneStatus.Pass, "", DaneStatus.Fail, "5.4.8", "tlsa", "" },
        new object?[] { Dane.Pass, Cert.WebPki, "enforce", Mx1, DaneStatus.Pass, "", DaneStatus.Pass, "", "tlsa", "" },
        // A DANE failure fails whatever MTA-STS says (RFC 8461 section 2).
        new object?[] { Dane.Fail, Cert.WebPki, "enforce", Mx1, DaneStatus.Fail, "5.7.323 tlsa-invalid", DaneStatus.Fail, "5.7.323", "tlsa", "tlsa-invalid" },
        new object?[] { Dane.Fail, Cert.WebPki, "testing", Mx1, DaneStatus.Fail, "5.7.323", DaneStatus.Fail, "5.7.323", "tlsa", "tlsa-invalid" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Combine_Table(Dane dane, Cert cert, string? mode, string mx, DaneStatus status, string ndr, DaneStatus strict, string strictNdr,
        string policyType, string resultType)
    {
        var d = await DaneCheck(dane, cert);
        var v = OutboundVerdictCombiner.Combine(d, Sts(mode, mx), Validator);
        Assert.Equal(status, v.Status);
        Assert.StartsWith(ndr, v.ExchangeOnlineNdr);
        if (ndr.Length == 0) Assert.Equal(string.Empty, v.ExchangeOnlineNdr);
        Assert.Equal(strict, v.StrictStatus);
        Assert.StartsWith(strictNdr, v.StrictNdr);
        Assert.Equal(policyType, v.TlsRptPolicyType);
        Assert.Equal(resultType, v.TlsRptResultType);
    }

    [Fact]
    public async Task Combine_DanePassExcusingSts_Warns()
    {
        var v = OutboundVerdictCombiner.Combine(await DaneCheck(Dane.Pass, Cert.SelfSigned), Sts("enforce"), Validator);
        Assert.Contains(v.Warnings, w => w.Contains("assumed to decide"));
        Assert.Equal("tlsa", Assert.Single(v.Hosts).DecidedBy);
    }

    [Fact]
    public async Task Combine_TestingFailure_WarnsAndDelivers()
    {
        var v = OutboundVerdictCombiner.Combine(await DaneCheck(Dane.None, Cert.SelfSigned), Sts("testing"), Validator);
        var h = Assert.Single(v.Hosts);
        Assert.True(h.Delivers);
        Assert.Equal(MtaStsHostOutcome.CertificateInvalid, h.MtaSts.Outcome);
        Assert.Contains(v.Warnings, w => w.StartsWith("Testing mode:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Combine_OneHostNotListed_IsDegraded()
    {
        var v = OutboundVerdictCombiner.Combine(await DaneCheck(Dane.None, Cert.WebPki, twoHosts: true), Sts("enforce"), Validator);
        Assert.Equal(DaneStatus.Degraded, v.Status);
        Assert.Equal(new bool?[] { true, false }, v.Hosts.Select(h => h.Delivers));
        Assert.Contains(v.Warnings, w => w.Contains("mx2.example.com is covered by no mx pattern"));
    }

    [Fact]
    public async Task Combine_DnsOnly_JudgesNamesNotCertificates()
    {
        var notListed = OutboundVerdictCombiner.Combine(await DaneCheck(Dane.None, Cert.WebPki, dnsOnly: true), Sts("enforce", "other.example.com"), Validator);
        Assert.Equal(DaneStatus.Fail, notListed.Status);
        Assert.StartsWith("5.4.8", notListed.ExchangeOnlineNdr);
        var listed = OutboundVerdictCombiner.Combine(await DaneCheck(Dane.None, Cert.WebPki, dnsOnly: true), Sts("enforce"), Validator);
        Assert.Equal(DaneStatus.DnsPass, listed.Status);
        Assert.Equal(DaneDomainResult.NdrNotKnown, listed.ExchangeOnlineNdr);
        Assert.Equal(MtaStsHostOutcome.NotChecked, Assert.Single(listed.Hosts).MtaSts.Outcome);
    }
}
