using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Tests.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>
/// The adapter over the real validator, end to end: zones signed in memory (ECDSA P-256, the dnssec tests' hierarchy),
/// validated by <see cref="ChainValidator"/>, then judged by <see cref="DaneDomainChecker"/>.
/// </summary>
public sealed class ChainValidatorResolverTests
{
    private static string Nsec(string owner, string next, string types) => $"{owner} 300 IN NSEC {next} {types}";

    [Fact]
    public async Task ResolveAsync_SignedMx_SecureWithRecordsAndEarliestExpiration()
    {
        using var h = new TestHierarchy();
        h.Source.Add("example.test.", DnsRecordType.MX, h.Zone.Signed("example.test. 300 IN MX 10 mx.example.test."));
        var resolver = new ChainValidatorResolver(h.Validator());

        var answer = await resolver.ResolveAsync(DnsName.Parse("example.test."), DnsRecordType.MX);

        Assert.Equal(DnssecStatus.Secure, answer.Status);
        Assert.Null(answer.Reason);
        Assert.Equal("example.test. 300 IN MX 10 mx.example.test.", Assert.Single(answer.Records).ToString());
        Assert.False(answer.IsNoData);
        Assert.Equal(TestZone.DefaultExpiration, answer.EarliestSignatureExpiration);
    }

    [Fact]
    public async Task ResolveAsync_CountedDownTtl_OriginalTtlFromTheRrsig()
    {
        // A cache serves the RRset with its TTL counted down (1000 s left); the RRSIG's Original TTL keeps the zone's
        // 3600 s (RFC 4034 section 3.1.4), and the signature verifies over it (section 3.1.8.1).
        using var h = new TestHierarchy();
        var mx = new[] { ResourceRecord.Parse("example.test. 1000 IN MX 10 mx.example.test.") };
        h.Source.Add("example.test.", DnsRecordType.MX, mx.Append(h.Zone.Sign(mx, originalTtl: 3600)).ToList());
        var resolver = new ChainValidatorResolver(h.Validator());

        var answer = await resolver.ResolveAsync(DnsName.Parse("example.test."), DnsRecordType.MX);

        Assert.Equal(DnssecStatus.Secure, answer.Status);
        Assert.Equal(1000u, Assert.Single(answer.Records).Ttl);
        Assert.Equal(3600u, answer.OriginalTtlSeconds);
        Assert.Equal(3600u, new DaneLookupResult(answer).OriginalTtlSeconds);
    }

    [Fact]
    public async Task ResolveAsync_ProvenNoData_SecureNoData()
    {
        using var h = new TestHierarchy();
        h.Source.Add("_25._tcp.mx.example.test.", DnsRecordType.TLSA, null,
            h.Zone.Signed(Nsec("_25._tcp.mx.example.test.", "zz.example.test.", "TXT RRSIG NSEC")));
        var resolver = new ChainValidatorResolver(h.Validator());

        var answer = await resolver.ResolveAsync(DnsName.Parse("_25._tcp.mx.example.test."), DnsRecordType.TLSA);

        Assert.Equal(DnssecStatus.Secure, answer.Status);
        Assert.True(answer.IsNoData);
        Assert.Equal(ReasonCodes.NoData, answer.Reason!.Code);
    }

    [Fact]
    public async Task CheckAsync_SignedZoneEndToEnd_Pass()
    {
        using var h = new TestHierarchy();
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=mx.example.test", DnsNames = new[] { "mx.example.test" } });
        string spki = Convert.ToHexString(SHA256.HashData(pki.Leaf.Spki));
        h.Source.Add("example.test.", DnsRecordType.MX, h.Zone.Signed("example.test. 300 IN MX 10 mx.example.test."));
        h.Source.Add("mx.example.test.", DnsRecordType.A, h.Zone.Signed("mx.example.test. 300 IN A 192.0.2.1"));
        h.Source.Add("mx.example.test.", DnsRecordType.AAAA, null, h.Zone.Signed(Nsec("mx.example.test.", "zz.example.test.", "A RRSIG NSEC")));
        h.Source.Add("_25._tcp.mx.example.test.", DnsRecordType.TLSA, h.Zone.Signed($"_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 {spki}"));
        var checker = new DaneDomainChecker(new ChainValidatorResolver(h.Validator()), new FakeSmtpProber().Tls("192.0.2.1", pki.Chain()));

        var r = await checker.CheckAsync("example.test", new DaneCheckOptions { ValidationTime = TestPki.Now });

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal(DnssecStatus.Secure, r.MxStatus);
        var host = Assert.Single(r.MxHosts);
        Assert.Equal(DaneHostOutcome.Authenticated, host.Outcome);
        Assert.Equal("mx.example.test", host.TlsaBaseDomain);
        Assert.Equal(spki, host.UsableTlsaRecords.Single().AssociationDataHex);
    }

    [Fact]
    public async Task CheckAsync_TamperedTlsaSignature_HostUnusableDeferred5_7_324()
    {
        using var h = new TestHierarchy();
        h.Source.Add("example.test.", DnsRecordType.MX, h.Zone.Signed("example.test. 300 IN MX 10 mx.example.test."));
        h.Source.Add("mx.example.test.", DnsRecordType.A, h.Zone.Signed("mx.example.test. 300 IN A 192.0.2.1"));
        h.Source.Add("mx.example.test.", DnsRecordType.AAAA, null, h.Zone.Signed(Nsec("mx.example.test.", "zz.example.test.", "A RRSIG NSEC")));
        // Signed over one digest, served with another: the RRSIG no longer verifies (RFC 4035 section 5.3.3).
        var signed = h.Zone.Signed("_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 " + new string('0', 64));
        var tampered = signed.Select(rr => rr.Type == DnsRecordType.TLSA
            ? ResourceRecord.Parse("_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 " + new string('1', 64)) : rr).ToList();
        h.Source.Add("_25._tcp.mx.example.test.", DnsRecordType.TLSA, tampered);
        var checker = new DaneDomainChecker(new ChainValidatorResolver(h.Validator()), new FakeSmtpProber());

        var r = await checker.CheckAsync("example.test", new DaneCheckOptions { ValidationTime = TestPki.Now });

        Assert.Equal(DnssecStatus.Bogus, r.MxHosts[0].TlsaStatus);
        Assert.Equal(DaneHostOutcome.DnsFailure, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("5.7.324 dnssec-invalid", r.ExchangeOnlineNdr);
    }
}
