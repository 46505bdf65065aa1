using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;
using DaneTools.Core.Delivery;
using DaneTools.Core.Smtp;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>The fixture shared by the DaneDomainChecker tests: a fake resolver and prober, test PKI helpers, the clock pinned at <see cref="TestPki.Now"/>.</summary>
public abstract class DaneDomainCheckerTestBase
{
    private protected const string Domain = "example.com";
    private protected const string Mx1 = "mx1.example.com";
    private protected const string Mx2 = "mx2.example.com";
    private protected const string Ip1 = "192.0.2.1";
    private protected const string Ip2 = "192.0.2.2";
    private protected const string Ip6 = "2001:db8::1";

    private protected readonly FakeValidatedResolver _dns = new();
    private protected readonly FakeSmtpProber _smtp = new();

    private protected static DaneCheckOptions Options(bool dnsOnly = false) =>
        new() { ValidationTime = TestPki.Now, HeloName = "client.test", DnsOnly = dnsOnly };

    private protected Task<DaneDomainResult> Check(DaneCheckOptions? options = null) =>
        new DaneDomainChecker(_dns, _smtp).CheckAsync(Domain, options ?? Options());

    private protected static string Sha256Hex(byte[] data)
    {
        using var sha = SHA256.Create();
        return Convert.ToHexString(sha.ComputeHash(data));
    }

    private protected static string Sha512Hex(byte[] data)
    {
        using var sha = SHA512.Create();
        return Convert.ToHexString(sha.ComputeHash(data));
    }

    private protected static string DaneEe(TestPki.Issued leaf) => "3 1 1 " + Sha256Hex(leaf.Spki);

    private protected static string DaneTa(TestPki.Issued ca) => "2 0 1 " + Sha256Hex(ca.Der);

    private protected static TestPki.Hierarchy Pki(params string[] names) => new(new TestPki.Spec
    {
        Subject = "CN=" + names[0],
        DnsNames = names,
    });

    /// <summary>Secure MX with one host (mx1, 192.0.2.1) and the given TLSA records; the host presents the chain.</summary>
    private protected TestPki.Hierarchy SecureSingleHost(TestPki.Hierarchy? pki = null, Func<TestPki.Hierarchy, string[]>? tlsa = null)
    {
        pki ??= Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, (tlsa ?? (p => new[] { DaneEe(p.Leaf) }))(pki));
        _smtp.Tls(Ip1, pki.Chain());
        return pki;
    }
}
